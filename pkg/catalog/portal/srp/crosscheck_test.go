package srp

import (
	"crypto/rand"
	"maps"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	cognitosrp "github.com/alexrudd/cognito-srp/v4"
)

// TestMatchesCognitoSRPLibrary cross-checks against
// github.com/alexrudd/cognito-srp/v4 v4.1.0, which signs in to real Cognito
// in the morning UTC. The library draws a from crypto/rand and cannot be
// given one, so both draw from the same deterministic crypto/rand stream
// (testing/cryptotest): then A, the InitiateAuth parameters and the whole
// challenge answer must be identical at a morning time, and the test server
// must accept both. At 15:00 UTC the library's 12-hour TIMESTAMP ("03:00:00")
// is rejected by the server's clock check while ours is accepted.
func TestMatchesCognitoSRPLibrary(t *testing.T) {
	morning := time.Date(2026, 11, 23, 9, 41, 7, 0, time.UTC)
	afternoon := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	const (
		typed    = "alice@example.com"
		userID   = "0b5c9c1e-1f4e-4d1a-b7a3-2f6d1c0e9a88"
		password = "Tr0ub4dor&3"
		secret   = "1example23456789client0secret"
	)
	salts := [][]byte{
		{0xf3, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}, // high bit
		{0x00, 0x0a, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}, // leading zero, odd hex
		[]byte("plain-ascii-salt"),
	}
	for seed := range uint64(12) {
		withSecret := seed%2 == 0
		srv := newTestServer(testPoolName, testClientID, "", seeded(100+seed), morning)
		srv.saltStyle = int(seed % 3)
		var libSecret *string
		if withSecret {
			srv.clientSecret = secret
			libSecret = new(secret)
		}
		srv.register(typed, userID, password, salts[seed%3])

		cryptotest.SetGlobalRandom(t, seed)
		lib, err := cognitosrp.NewCognitoSRP(typed, password, testPoolID, testClientID, libSecret)
		if err != nil {
			t.Fatal(err)
		}
		cryptotest.SetGlobalRandom(t, seed)
		c, err := NewClient(testPoolID, testClientID, srv.clientSecret)
		if err != nil {
			t.Fatal(err)
		}
		c.Rand = rand.Reader
		clock := morning
		c.Now = func() time.Time { return clock }
		sess, err := c.Start()
		if err != nil {
			t.Fatal(err)
		}

		libParams := lib.GetAuthParams()
		if got := sess.AuthParameters(typed); !maps.Equal(got, libParams) {
			t.Fatalf("seed %d: InitiateAuth parameters differ:\n ours %v\n lib  %v", seed, got, libParams)
		}

		challenge, pending, err := srv.initiate(libParams)
		if err != nil {
			t.Fatal(err)
		}
		libResp, err := lib.PasswordVerifierChallenge(challenge, morning)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := sess.Respond(password, challenge)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(ours, libResp) {
			t.Fatalf("seed %d: challenge answers differ:\n ours %v\n lib  %v", seed, ours, libResp)
		}
		if err := srv.verify(pending, libResp); err != nil {
			t.Fatalf("seed %d: server rejected the library's morning claim: %v", seed, err)
		}
		if err := srv.verify(pending, ours); err != nil {
			t.Fatalf("seed %d: server rejected our morning claim: %v", seed, err)
		}

		srv.now = afternoon
		clock = afternoon
		libResp, err = lib.PasswordVerifierChallenge(challenge, afternoon)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(libResp["TIMESTAMP"], " 03:00:00 ") {
			t.Fatalf("library TIMESTAMP %q: expected its 12-hour clock bug", libResp["TIMESTAMP"])
		}
		if err := srv.verify(pending, libResp); err == nil {
			t.Fatal("server accepted the library's 12-hour afternoon TIMESTAMP")
		}
		ours, err = sess.Respond(password, challenge)
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.verify(pending, ours); err != nil {
			t.Fatalf("seed %d: server rejected our afternoon claim: %v", seed, err)
		}
	}
}
