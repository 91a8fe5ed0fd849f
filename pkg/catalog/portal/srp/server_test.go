package srp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
)

// testServer is the Cognito side of USER_SRP_AUTH, written independently of
// the client: it pads by bytes rather than by hex digits, derives the key
// with HMAC by hand, and checks the claim the way Cognito does, including a
// clock-skew limit on TIMESTAMP.
type testServer struct {
	pool         string // user pool name, the part after "_"
	clientID     string
	clientSecret string
	rand         io.Reader
	now          time.Time
	users        map[string]*testUser // by USER_ID_FOR_SRP
	aliases      map[string]string    // typed name -> USER_ID_FOR_SRP

	// saltStyle chooses how SALT is written: 0 as bytes in lowercase hex,
	// 1 in uppercase, 2 as the minimal hex of the integer (often odd length).
	saltStyle int

	seen map[string]bool // padding cases exercised, for coverage checks
}

type testUser struct {
	id   string
	salt []byte
	v    *big.Int
}

type testPending struct {
	user        *testUser
	bigA, bigB  *big.Int
	b           *big.Int
	secretBlock []byte
}

var (
	serverN = func() *big.Int {
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
	serverG = big.NewInt(2)
	serverK = new(big.Int).SetBytes(sha(serverPad(serverN), serverPad(serverG)))
)

// serverPad is the unsigned big-endian bytes of n with a 0x00 in front when
// the top bit is set, and a single 0x00 for zero: the byte form of Cognito's
// hex padding.
func serverPad(n *big.Int) []byte {
	b := n.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return b
}

func sha(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func newTestServer(pool, clientID, clientSecret string, r io.Reader, now time.Time) *testServer {
	return &testServer{
		pool: pool, clientID: clientID, clientSecret: clientSecret, rand: r, now: now,
		users: map[string]*testUser{}, aliases: map[string]string{}, seen: map[string]bool{},
	}
}

func (s *testServer) mark(what string, n *big.Int) {
	b := n.Bytes()
	if len(b) > 0 && b[0]&0x80 != 0 {
		s.seen[what+" high bit"] = true
	}
	if len(n.Text(16))%2 == 1 {
		s.seen[what+" odd hex"] = true
	}
}

// register stores the verifier v = g^x for a user known by id and typed as alias.
func (s *testServer) register(alias, id, password string, salt []byte) {
	inner := sha([]byte(s.pool + id + ":" + password))
	saltN := new(big.Int).SetBytes(salt)
	x := new(big.Int).SetBytes(sha(serverPad(saltN), inner))
	v := new(big.Int).Exp(serverG, x, serverN)
	s.users[id] = &testUser{id: id, salt: salt, v: v}
	s.aliases[alias] = id
}

func (s *testServer) random(n int) []byte {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.rand, b); err != nil {
		panic(err)
	}
	return b
}

// initiate answers InitiateAuth(USER_SRP_AUTH) with the PASSWORD_VERIFIER
// challenge parameters.
func (s *testServer) initiate(params map[string]string) (map[string]string, *testPending, error) {
	id, ok := s.aliases[params["USERNAME"]]
	if !ok {
		return nil, nil, errors.New("UserNotFoundException")
	}
	if s.clientSecret != "" && params["SECRET_HASH"] != s.secretHash(params["USERNAME"]) {
		return nil, nil, errors.New("NotAuthorizedException: Unable to verify secret hash for client")
	}
	bigA, ok := new(big.Int).SetString(params["SRP_A"], 16)
	if !ok || new(big.Int).Mod(bigA, serverN).Sign() == 0 {
		return nil, nil, errors.New("InvalidParameterException: SRP_A")
	}
	u := s.users[id]
	b := new(big.Int).SetBytes(s.random(32))
	bigB := new(big.Int).Mul(serverK, u.v)
	bigB.Add(bigB, new(big.Int).Exp(serverG, b, serverN))
	bigB.Mod(bigB, serverN)
	p := &testPending{user: u, bigA: bigA, bigB: bigB, b: b, secretBlock: s.random(48)}
	s.mark("B", bigB)

	var saltHex string
	switch s.saltStyle {
	case 1:
		saltHex = strings.ToUpper(hex.EncodeToString(u.salt))
	case 2:
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

// verify checks RespondToAuthChallenge(PASSWORD_VERIFIER) the way Cognito does.
func (s *testServer) verify(p *testPending, resp map[string]string) error {
	if resp["USERNAME"] != p.user.id {
		return fmt.Errorf("USERNAME %q, want the user id %q", resp["USERNAME"], p.user.id)
	}
	if s.clientSecret != "" && resp["SECRET_HASH"] != s.secretHash(p.user.id) {
		return errors.New("NotAuthorizedException: Unable to verify secret hash for client")
	}
	if resp["PASSWORD_CLAIM_SECRET_BLOCK"] != base64.StdEncoding.EncodeToString(p.secretBlock) {
		return errors.New("secret block does not match")
	}
	ts := resp["TIMESTAMP"]
	when, err := time.Parse("Mon Jan 2 15:04:05 MST 2006", ts)
	if err != nil || when.Format("Mon Jan 2 15:04:05 UTC 2006") != ts {
		return fmt.Errorf("malformed TIMESTAMP %q", ts)
	}
	if d := when.Sub(s.now); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("TIMESTAMP %q is %v from the server's clock", ts, d)
	}

	uBytes := sha(serverPad(p.bigA), serverPad(p.bigB))
	u := new(big.Int).SetBytes(uBytes)
	bigS := new(big.Int).Exp(p.user.v, u, serverN)
	bigS.Mul(bigS, p.bigA)
	bigS.Exp(bigS, p.b, serverN)
	s.mark("u", u)
	s.mark("S", bigS)
	if len(bigS.Bytes()) < 384 {
		s.seen["S shorter than N"] = true
	}

	// HKDF-SHA256 with one output block, truncated to 16 bytes.
	extract := hmac.New(sha256.New, serverPad(u))
	extract.Write(serverPad(bigS))
	expand := hmac.New(sha256.New, extract.Sum(nil))
	expand.Write([]byte("Caldera Derived Key\x01"))
	key := expand.Sum(nil)[:16]

	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(s.pool + p.user.id))
	mac.Write(p.secretBlock)
	mac.Write([]byte(ts))
	got, err := base64.StdEncoding.DecodeString(resp["PASSWORD_CLAIM_SIGNATURE"])
	if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		return errors.New("NotAuthorizedException: Incorrect username or password.")
	}
	return nil
}

// secretHash is HMAC-SHA256 built from SHA-256 by hand (RFC 2104), a
// different route to SECRET_HASH than crypto/hmac.
func (s *testServer) secretHash(username string) string {
	return base64.StdEncoding.EncodeToString(manualHMAC([]byte(s.clientSecret), []byte(username+s.clientID)))
}

func manualHMAC(key, msg []byte) []byte {
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
	inner := sha(ipad, msg)
	return sha(opad, inner)
}
