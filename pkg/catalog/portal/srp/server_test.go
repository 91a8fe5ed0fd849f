package srp

import (
	"io"
	"math/big"
	"time"

	srpverifier "github.com/reinvent-cli/reinvent/internal/fake/cognito/srp"
)

// testServer is the Cognito side of USER_SRP_AUTH, internal/fake/cognito/srp,
// written independently of the client: it pads by bytes rather than by hex
// digits, derives the key with HMAC by hand, and checks the claim the way
// Cognito does, including a clock-skew limit on TIMESTAMP. The tests set
// clientSecret, now and saltStyle between calls.
type testServer struct {
	v            *srpverifier.Server
	clientSecret string
	now          time.Time

	// saltStyle chooses how SALT is written: 0 as bytes in lowercase hex,
	// 1 in uppercase, 2 as the minimal hex of the integer (often odd length).
	saltStyle int

	seen map[string]bool // padding cases exercised, for coverage checks
}

var serverN = srpverifier.N

// serverPad is the unsigned big-endian bytes of n with a 0x00 in front when
// the top bit is set, and a single 0x00 for zero.
func serverPad(n *big.Int) []byte { return srpverifier.Pad(n) }

// manualHMAC is HMAC-SHA256 built from SHA-256 by hand (RFC 2104).
func manualHMAC(key, msg []byte) []byte { return srpverifier.HMAC(key, msg) }

func newTestServer(pool, clientID, clientSecret string, r io.Reader, now time.Time) *testServer {
	v := srpverifier.New(pool, clientID, clientSecret, r, now)
	return &testServer{v: v, clientSecret: clientSecret, now: now, seen: v.Seen}
}

func (s *testServer) sync() {
	s.v.ClientSecret = s.clientSecret
	s.v.Now = s.now
	s.v.SaltStyle = srpverifier.SaltStyle(s.saltStyle)
}

// register stores the verifier v = g^x for a user known by id and typed as alias.
func (s *testServer) register(alias, id, password string, salt []byte) {
	s.v.Register(alias, id, password, salt)
}

// initiate answers InitiateAuth(USER_SRP_AUTH) with the PASSWORD_VERIFIER
// challenge parameters.
func (s *testServer) initiate(params map[string]string) (map[string]string, *srpverifier.Pending, error) {
	s.sync()
	return s.v.Initiate(params)
}

// verify checks RespondToAuthChallenge(PASSWORD_VERIFIER) the way Cognito does.
func (s *testServer) verify(p *srpverifier.Pending, resp map[string]string) error {
	s.sync()
	return s.v.Verify(p, resp)
}
