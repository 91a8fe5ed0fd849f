// Package srpverifier is the Cognito side of SRP-6a, for tests: it holds users' verifiers, answers USER_SRP_AUTH with a PASSWORD_VERIFIER challenge and checks the claim.
//
// It is written independently of the client in pkg/catalog/portal/srp and
// must not import it: it pads by bytes rather than by hex digits, derives the
// key with HMAC by hand, builds SECRET_HASH from SHA-256 by hand (RFC 2104),
// and checks the claim the way Cognito does, including the TIMESTAMP format
// and a clock-skew limit of five minutes.
package srpverifier

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
)

// N is RFC 5054's 3072-bit group prime, g its generator 2, and k Cognito's
// multiplier H(pad(N) | pad(g)).
var (
	N = func() *big.Int {
		n, _ := new(big.Int).SetString(strings.Join(strings.Fields(`
			FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74
			020BBEA6 3B139B22 514A0879 8E3404DD EF9519B3 CD3A431B 302B0A6D F25F1437
			4FE1356D 6D51C245 E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
			EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D C2007CB8 A163BF05
			98DA4836 1C55D39A 69163FA8 FD24CF5F 83655D23 DCA3AD96 1C62F356 208552BB
			9ED52907 7096966D 670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
			E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 DE2BCBF6 95581718
			3995497C EA956AE5 15D22618 98FA0510 15728E5A 8AAAC42D AD33170D 04507A33
			A85521AB DF1CBA64 ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7
			ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B F12FFA06 D98A0864
			D8760273 3EC86A64 521F2B18 177B200C BBE11757 7A615D6C 770988C0 BAD946E2
			08E24FA0 74E5AB31 43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF`), ""), 16)
		return n
	}()
	G = big.NewInt(2)
	K = new(big.Int).SetBytes(SHA(Pad(N), Pad(G)))
)

// MaxSkew is how far TIMESTAMP may be from the server's clock.
const MaxSkew = 5 * time.Minute

// timestampLayout is Cognito's TIMESTAMP: a 24-hour clock, the day of the
// month unpadded, always UTC.
const timestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// Pad is the unsigned big-endian bytes of n with a 0x00 in front when the
// top bit is set, and a single 0x00 for zero: the byte form of Cognito's hex
// padding.
func Pad(n *big.Int) []byte {
	b := n.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return b
}

// SHA is SHA-256 of the concatenation of parts.
func SHA(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// HMAC is HMAC-SHA256 built from SHA-256 by hand (RFC 2104), a different
// route than crypto/hmac.
func HMAC(key, msg []byte) []byte {
	const block = 64
	if len(key) > block {
		k := sha256.Sum256(key)
		key = k[:]
	}
	k := make([]byte, block)
	copy(k, key)
	ipad := make([]byte, block)
	opad := make([]byte, block)
	for i := range k {
		ipad[i] = k[i] ^ 0x36
		opad[i] = k[i] ^ 0x5c
	}
	return SHA(opad, SHA(ipad, msg))
}

// SaltStyle chooses how the challenge writes SALT.
type SaltStyle int

const (
	SaltHex        SaltStyle = iota // the bytes in lowercase hex
	SaltUpperHex                    // the bytes in uppercase hex
	SaltMinimalHex                  // the minimal hex of the integer, often odd length
)

// Error is a Cognito error: Code is its __type, such as
// NotAuthorizedException.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Server is one user pool and app client. It is not safe for concurrent use.
type Server struct {
	Pool         string // user pool name, the part of the pool id after "_"
	ClientID     string
	ClientSecret string    // "" for a client without a secret: SECRET_HASH is then not checked
	Rand         io.Reader // for b and SECRET_BLOCK; nil means crypto/rand
	Now          time.Time // the server's clock, for the TIMESTAMP check
	SaltStyle    SaltStyle

	// Seen records the padding cases exercised ("B high bit", "u odd hex",
	// "S shorter than N", ...), for coverage checks; nil records nothing.
	Seen map[string]bool

	users   map[string]*user  // by USER_ID_FOR_SRP
	aliases map[string]string // typed name -> USER_ID_FOR_SRP
}

type user struct {
	id   string
	salt []byte
	v    *big.Int
}

// Pending is an InitiateAuth answered with PASSWORD_VERIFIER, awaiting the
// claim. It may be verified more than once.
type Pending struct {
	user        *user
	bigA, bigB  *big.Int
	b           *big.Int
	secretBlock []byte
}

// UserID is the USER_ID_FOR_SRP of the user signing in.
func (p *Pending) UserID() string { return p.user.id }

// New returns a server with no users that records padding cases in Seen.
func New(pool, clientID, clientSecret string, r io.Reader, now time.Time) *Server {
	return &Server{
		Pool: pool, ClientID: clientID, ClientSecret: clientSecret, Rand: r, Now: now,
		Seen: map[string]bool{},
	}
}

func (s *Server) mark(what string, n *big.Int) {
	if s.Seen == nil {
		return
	}
	b := n.Bytes()
	if len(b) > 0 && b[0]&0x80 != 0 {
		s.Seen[what+" high bit"] = true
	}
	if len(n.Text(16))%2 == 1 {
		s.Seen[what+" odd hex"] = true
	}
}

// Register stores the verifier v = g^x for a user known by id
// (USER_ID_FOR_SRP) and typed as alias.
func (s *Server) Register(alias, id, password string, salt []byte) {
	if s.users == nil {
		s.users, s.aliases = map[string]*user{}, map[string]string{}
	}
	inner := SHA([]byte(s.Pool + id + ":" + password))
	x := new(big.Int).SetBytes(SHA(Pad(new(big.Int).SetBytes(salt)), inner))
	s.users[id] = &user{id: id, salt: salt, v: new(big.Int).Exp(G, x, N)}
	s.aliases[alias] = id
}

func (s *Server) random(n int) []byte {
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		panic(err)
	}
	return b
}

// SecretHash is Base64(HMAC-SHA256(client secret, username + client id)),
// with the HMAC built by hand.
func (s *Server) SecretHash(username string) string {
	return base64.StdEncoding.EncodeToString(HMAC([]byte(s.ClientSecret), []byte(username+s.ClientID)))
}

func (s *Server) secretHashOK(username, got string) bool {
	return s.ClientSecret == "" || got == s.SecretHash(username)
}

func (s *Server) secretHashErr() error {
	return &Error{"NotAuthorizedException", "Unable to verify secret hash for client " + s.ClientID}
}

// Initiate answers InitiateAuth(USER_SRP_AUTH) with its AuthParameters: it
// returns the PASSWORD_VERIFIER challenge parameters and the pending sign-in
// to pass to Verify.
func (s *Server) Initiate(params map[string]string) (map[string]string, *Pending, error) {
	id, ok := s.aliases[params["USERNAME"]]
	if !ok {
		return nil, nil, &Error{"UserNotFoundException", "User does not exist."}
	}
	if !s.secretHashOK(params["USERNAME"], params["SECRET_HASH"]) {
		return nil, nil, s.secretHashErr()
	}
	bigA, ok := new(big.Int).SetString(params["SRP_A"], 16)
	if !ok || new(big.Int).Mod(bigA, N).Sign() == 0 {
		return nil, nil, &Error{"InvalidParameterException", "SRP_A"}
	}
	u := s.users[id]
	b := new(big.Int).SetBytes(s.random(32))
	bigB := new(big.Int).Mul(K, u.v)
	bigB.Add(bigB, new(big.Int).Exp(G, b, N))
	bigB.Mod(bigB, N)
	p := &Pending{user: u, bigA: bigA, bigB: bigB, b: b, secretBlock: s.random(48)}
	s.mark("B", bigB)

	var saltHex string
	switch s.SaltStyle {
	case SaltUpperHex:
		saltHex = strings.ToUpper(hex.EncodeToString(u.salt))
	case SaltMinimalHex:
		saltHex = new(big.Int).SetBytes(u.salt).Text(16)
	default:
		saltHex = hex.EncodeToString(u.salt)
	}
	return map[string]string{
		"SALT":            saltHex,
		"SRP_B":           bigB.Text(16),
		"SECRET_BLOCK":    base64.StdEncoding.EncodeToString(p.secretBlock),
		"USERNAME":        id,
		"USER_ID_FOR_SRP": id,
	}, p, nil
}

// Verify checks the ChallengeResponses of RespondToAuthChallenge
// (PASSWORD_VERIFIER) the way Cognito does.
func (s *Server) Verify(p *Pending, resp map[string]string) error {
	if resp["USERNAME"] != p.user.id {
		return &Error{"NotAuthorizedException", fmt.Sprintf("USERNAME %q is not the user id %q", resp["USERNAME"], p.user.id)}
	}
	if !s.secretHashOK(p.user.id, resp["SECRET_HASH"]) {
		return s.secretHashErr()
	}
	if resp["PASSWORD_CLAIM_SECRET_BLOCK"] != base64.StdEncoding.EncodeToString(p.secretBlock) {
		return &Error{"NotAuthorizedException", "secret block does not match"}
	}
	ts := resp["TIMESTAMP"]
	when, err := time.Parse("Mon Jan 2 15:04:05 MST 2006", ts)
	if err != nil || when.Format(timestampLayout) != ts {
		return &Error{"InvalidParameterException", fmt.Sprintf("malformed TIMESTAMP %q", ts)}
	}
	if d := when.Sub(s.Now); d > MaxSkew || d < -MaxSkew {
		return &Error{"NotAuthorizedException", fmt.Sprintf("TIMESTAMP %q is %v from the server's clock", ts, d)}
	}

	u := new(big.Int).SetBytes(SHA(Pad(p.bigA), Pad(p.bigB)))
	bigS := new(big.Int).Exp(p.user.v, u, N)
	bigS.Mul(bigS, p.bigA)
	bigS.Exp(bigS, p.b, N)
	s.mark("u", u)
	s.mark("S", bigS)
	if s.Seen != nil && len(bigS.Bytes()) < len(N.Bytes()) {
		s.Seen["S shorter than N"] = true
	}

	// HKDF-SHA256 with one output block, truncated to 16 bytes.
	extract := hmac.New(sha256.New, Pad(u))
	extract.Write(Pad(bigS))
	expand := hmac.New(sha256.New, extract.Sum(nil))
	expand.Write([]byte("Caldera Derived Key\x01"))
	key := expand.Sum(nil)[:16]

	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(s.Pool + p.user.id))
	mac.Write(p.secretBlock)
	mac.Write([]byte(ts))
	got, err := base64.StdEncoding.DecodeString(resp["PASSWORD_CLAIM_SIGNATURE"])
	if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		return &Error{"NotAuthorizedException", "Incorrect username or password."}
	}
	return nil
}
