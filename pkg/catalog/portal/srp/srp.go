// Package srp computes Amazon Cognito's SRP-6a password verifier for USER_SRP_AUTH.
package srp

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
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

// nHex is the 3072-bit MODP prime of RFC 3526 group 15 (RFC 5054's 3072-bit
// group), the modulus Cognito's SRP uses with generator 2.
const nHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
	"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
	"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
	"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

// infoBits is the HKDF info string Cognito uses to derive the claim key.
const infoBits = "Caldera Derived Key"

// smallABytes is how many random bytes make the client's secret exponent a.
const smallABytes = 128

// timestampLayout is Cognito's TIMESTAMP: day not padded, 24-hour clock, UTC.
const timestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// Challenge parameter names of the PASSWORD_VERIFIER challenge and its answer.
const (
	ParamSalt         = "SALT"
	ParamSRPB         = "SRP_B"
	ParamSecretBlock  = "SECRET_BLOCK"
	ParamUserIDForSRP = "USER_ID_FOR_SRP"
)

var (
	groupN = mustHex(nHex)
	groupG = big.NewInt(2)
	// groupK is H(pad(N) | pad(g)); Cognito pads g to one byte, not to |N|.
	groupK = new(big.Int).SetBytes(hashBytes(padBytes(groupN), padBytes(groupG)))
)

// errZeroU is the (astronomically unlikely) failure of u = H(A, B) being zero.
var errZeroU = errors.New("srp: u is zero")

// ParamError reports a PASSWORD_VERIFIER challenge parameter that is missing
// or malformed, so the caller can say which one the server got wrong.
type ParamError struct {
	Name   string // the challenge parameter, e.g. "SRP_B"
	Reason string // "is missing", "is not hexadecimal", ...
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("srp: challenge parameter %s %s", e.Name, e.Reason)
}

// Client holds the user pool and app client a sign-in talks to. Rand and Now
// default to crypto/rand and time.Now; tests replace them.
type Client struct {
	PoolID       string
	ClientID     string
	ClientSecret string
	Rand         io.Reader
	Now          func() time.Time
}

// NewClient returns a Client for the user pool poolID ("region_name") and the
// app client clientID; clientSecret is empty when the app client has none.
func NewClient(poolID, clientID, clientSecret string) (*Client, error) {
	if _, err := poolName(poolID); err != nil {
		return nil, err
	}
	if clientID == "" {
		return nil, errors.New("srp: empty app client id")
	}
	return &Client{PoolID: poolID, ClientID: clientID, ClientSecret: clientSecret}, nil
}

// poolName returns the part of a user pool id after the "_", which Cognito
// mixes into the password hash and the claim signature.
func poolName(poolID string) (string, error) {
	region, name, ok := strings.Cut(poolID, "_")
	if !ok || region == "" || name == "" || strings.Contains(name, "_") ||
		strings.ContainsAny(poolID, " \t\r\n") {
		return "", fmt.Errorf("srp: invalid user pool id %q, want <region>_<name>", poolID)
	}
	return name, nil
}

// Session is one SRP sign-in: the client's secret a and public A, which must
// be used for the InitiateAuth call and the challenge answer that follows it.
type Session struct {
	client Client
	pool   string
	a      *big.Int
	bigA   *big.Int
}

// Start draws a fresh secret exponent and returns the session that carries
// it. Each InitiateAuth needs its own Session; the Session keeps a copy of c
// as it was at Start.
func (c *Client) Start() (*Session, error) {
	pool, err := poolName(c.PoolID)
	if err != nil {
		return nil, err
	}
	r := c.Rand
	if r == nil {
		r = rand.Reader
	}
	buf := make([]byte, smallABytes)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("srp: read random a: %w", err)
	}
	a := new(big.Int).SetBytes(buf)
	a.Mod(a, groupN)
	bigA := new(big.Int).Exp(groupG, a, groupN)
	if bigA.Sign() == 0 {
		return nil, errors.New("srp: A mod N is zero")
	}
	return &Session{client: *c, pool: pool, a: a, bigA: bigA}, nil
}

// SRPA returns A in lowercase hexadecimal, the SRP_A auth parameter.
func (s *Session) SRPA() string {
	return s.bigA.Text(16)
}

// AuthParameters returns the AuthParameters of InitiateAuth with USER_SRP_AUTH
// for the name the user typed: USERNAME, SRP_A and, when the app client has a
// secret, SECRET_HASH.
func (s *Session) AuthParameters(username string) map[string]string {
	p := map[string]string{"USERNAME": username, "SRP_A": s.SRPA()}
	if s.client.ClientSecret != "" {
		p["SECRET_HASH"] = SecretHash(username, s.client.ClientID, s.client.ClientSecret)
	}
	return p
}

// Respond answers Cognito's PASSWORD_VERIFIER challenge with the
// ChallengeResponses of RespondToAuthChallenge. The claim is made for the
// challenge's USER_ID_FOR_SRP (Cognito's own user name, which differs from an
// email or alias typed at sign-in), and USERNAME and SECRET_HASH use it too.
func (s *Session) Respond(password string, challenge map[string]string) (map[string]string, error) {
	userID := challenge[ParamUserIDForSRP]
	if userID == "" {
		return nil, &ParamError{Name: ParamUserIDForSRP, Reason: "is missing"}
	}
	salt, err := hexParam(challenge, ParamSalt)
	if err != nil {
		return nil, err
	}
	bigB, err := hexParam(challenge, ParamSRPB)
	if err != nil {
		return nil, err
	}
	if bigB.Cmp(groupN) >= 0 {
		return nil, &ParamError{Name: ParamSRPB, Reason: "is not less than N"}
	}
	if bigB.Sign() == 0 {
		return nil, &ParamError{Name: ParamSRPB, Reason: "is zero mod N"}
	}
	secretBlockB64, ok := challenge[ParamSecretBlock]
	if !ok || secretBlockB64 == "" {
		return nil, &ParamError{Name: ParamSecretBlock, Reason: "is missing"}
	}
	secretBlock, err := base64.StdEncoding.DecodeString(secretBlockB64)
	if err != nil {
		return nil, &ParamError{Name: ParamSecretBlock, Reason: "is not base64"}
	}

	key, err := s.claimKey(userID, password, salt, bigB)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if s.client.Now != nil {
		now = s.client.Now
	}
	ts := Timestamp(now())
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(s.pool))
	mac.Write([]byte(userID))
	mac.Write(secretBlock)
	mac.Write([]byte(ts))

	resp := map[string]string{
		"USERNAME":                    userID,
		"PASSWORD_CLAIM_SECRET_BLOCK": secretBlockB64,
		"PASSWORD_CLAIM_SIGNATURE":    base64.StdEncoding.EncodeToString(mac.Sum(nil)),
		"TIMESTAMP":                   ts,
	}
	if s.client.ClientSecret != "" {
		resp["SECRET_HASH"] = SecretHash(userID, s.client.ClientID, s.client.ClientSecret)
	}
	return resp, nil
}

// claimKey derives the 16-byte HMAC key of the password claim from the
// shared secret S = (B - k*g^x)^(a + u*x) mod N.
func (s *Session) claimKey(userID, password string, salt, bigB *big.Int) ([]byte, error) {
	u := new(big.Int).SetBytes(hashBytes(padBytes(s.bigA), padBytes(bigB)))
	if u.Sign() == 0 {
		return nil, errZeroU
	}
	inner := sha256.Sum256([]byte(s.pool + userID + ":" + password))
	x := new(big.Int).SetBytes(hashBytes(padBytes(salt), inner[:]))

	gx := new(big.Int).Exp(groupG, x, groupN)
	base := new(big.Int).Mul(groupK, gx)
	base.Sub(bigB, base)
	base.Mod(base, groupN) // non-negative, as the maths requires
	exp := new(big.Int).Mul(u, x)
	exp.Add(exp, s.a)
	bigS := new(big.Int).Exp(base, exp, groupN)

	return hkdf.Key(sha256.New, padBytes(bigS), padBytes(u), infoBits, 16)
}

// SecretHash returns Cognito's SECRET_HASH: base64(HMAC-SHA256(clientSecret,
// username + clientID)).
func SecretHash(username, clientID, clientSecret string) string {
	mac := hmac.New(sha256.New, []byte(clientSecret))
	mac.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Timestamp formats t the way Cognito's TIMESTAMP must look, in UTC with a
// 24-hour clock and the day not padded: "Tue Dec 1 09:05:07 UTC 2026".
func Timestamp(t time.Time) string {
	return t.UTC().Format(timestampLayout)
}

// padHex is Cognito's padding of a non-negative integer's hex: an odd length
// gets a leading "0", and a leading digit 8-f gets "00" so the value cannot
// read as negative.
func padHex(n *big.Int) string {
	h := n.Text(16)
	switch {
	case len(h)%2 == 1:
		return "0" + h
	case strings.IndexByte("89abcdef", h[0]) >= 0:
		return "00" + h
	}
	return h
}

// padBytes is padHex decoded to bytes, the form Cognito hashes.
func padBytes(n *big.Int) []byte {
	b, err := hex.DecodeString(padHex(n))
	if err != nil {
		panic("srp: padHex produced invalid hex: " + err.Error())
	}
	return b
}

func hashBytes(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// hexParam parses a hexadecimal challenge parameter; Cognito sends them
// unsigned, in either case, possibly of odd length.
func hexParam(challenge map[string]string, name string) (*big.Int, error) {
	v, ok := challenge[name]
	if !ok || v == "" {
		return nil, &ParamError{Name: name, Reason: "is missing"}
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return nil, &ParamError{Name: name, Reason: "is not hexadecimal"}
		}
	}
	n, ok := new(big.Int).SetString(v, 16)
	if !ok {
		return nil, &ParamError{Name: name, Reason: "is not hexadecimal"}
	}
	return n, nil
}

func mustHex(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("srp: bad constant " + s)
	}
	return n
}
