package srp

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

const (
	testPoolID   = "us-east-1_Xuc1O0biz"
	testPoolName = "Xuc1O0biz"
	testClientID = "2h40eam2atft40g0c3mlg0aei1"
)

// seeded returns a deterministic byte stream, so failures reproduce.
func seeded(seed uint64) io.Reader {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return rand.NewChaCha8(s)
}

func fixedNow(t time.Time) func() time.Time { return func() time.Time { return t } }

// login runs one USER_SRP_AUTH exchange against srv as the user typed name.
func login(t *testing.T, c *Client, srv *testServer, typed, password string) (map[string]string, error) {
	t.Helper()
	sess, err := c.Start()
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	challenge, pending, err := srv.initiate(sess.AuthParameters(typed))
	if err != nil {
		t.Fatalf("InitiateAuth: %v", err)
	}
	resp, err := sess.Respond(password, challenge)
	if err != nil {
		t.Fatalf("Respond: %v", err)
	}
	return resp, srv.verify(pending, resp)
}

func TestPadHex(t *testing.T) {
	tests := []struct {
		in   string // hex of the integer
		want string
	}{
		{"0", "00"},
		{"1", "01"},
		{"7f", "7f"},
		{"80", "0080"},
		{"ff", "00ff"},
		{"abc", "0abc"}, // odd length: one "0", top byte 0x0a
		{"fff", "0fff"},
		{"1234", "1234"},
		{"8000", "008000"},
		{"F00D", "00f00d"},
		{"7fffffff", "7fffffff"},
	}
	for _, tt := range tests {
		n, _ := new(big.Int).SetString(tt.in, 16)
		if got := padHex(n); got != tt.want {
			t.Errorf("padHex(%s) = %s, want %s", tt.in, got, tt.want)
		}
		if got, want := padBytes(n), serverPad(n); string(got) != string(want) {
			t.Errorf("padBytes(%s) = %x, server pads %x", tt.in, got, want)
		}
	}
}

func TestGroup(t *testing.T) {
	if groupN.Cmp(serverN) != 0 {
		t.Fatal("N differs from RFC 5054's 3072-bit prime")
	}
	if groupN.BitLen() != 3072 || !groupN.ProbablyPrime(4) {
		t.Fatal("N is not a 3072-bit prime")
	}
	// Cognito: k = H("00" + N + "02"), g padded to one byte, not to |N|.
	raw, _ := hex.DecodeString("00" + nHex + "02")
	want := sha256.Sum256(raw)
	if got := groupK.FillBytes(make([]byte, 32)); string(got) != string(want[:]) {
		t.Fatalf("k = %x, want %x", got, want)
	}
}

// TestExchange signs in many random users against the test server, with the
// right password and a wrong one. Salts are built to start with a high bit, a
// zero byte, or a small nibble, and the run must meet every padding case.
func TestExchange(t *testing.T) {
	const trials = 80
	now := time.Date(2026, 11, 30, 10, 11, 12, 0, time.UTC)
	gen := rand.New(rand.NewPCG(7, 11))
	srv := newTestServer(testPoolName, testClientID, "", seeded(1), now)
	clientRand := seeded(2)

	for i := range trials {
		secret := ""
		if i%2 == 1 {
			secret = fmt.Sprintf("secret-%d", i)
		}
		srv.clientSecret = secret
		srv.saltStyle = i % 3

		salt := make([]byte, 16)
		for j := range salt {
			salt[j] = byte(gen.UintN(256))
		}
		switch i % 4 {
		case 0:
			salt[0] |= 0x80 // pad(salt) must add 00
		case 1:
			salt[0] = 0 // leading zero byte: Cognito hashes the integer, not the bytes
		case 2:
			salt[0] &= 0x0f // odd-length minimal hex
		}
		id := fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", gen.Uint32(), gen.UintN(1<<16), gen.UintN(1<<12), gen.UintN(1<<16), gen.Uint64()&(1<<48-1))
		alias := fmt.Sprintf("user%d@example.com", i)
		password := fmt.Sprintf("Pw-%x-ü€-%d", gen.Uint64(), i)
		srv.register(alias, id, password, salt)

		c := &Client{PoolID: testPoolID, ClientID: testClientID, ClientSecret: secret, Rand: clientRand, Now: fixedNow(now)}
		if _, err := login(t, c, srv, alias, password); err != nil {
			t.Fatalf("trial %d (salt %x): right password rejected: %v", i, salt, err)
		}
		if _, err := login(t, c, srv, alias, password+"x"); err == nil {
			t.Fatalf("trial %d: wrong password accepted", i)
		}
	}
	for _, want := range []string{"B high bit", "u high bit", "u odd hex", "S high bit", "S odd hex"} {
		if !srv.seen[want] {
			t.Errorf("padding case %q never exercised; raise trials", want)
		}
	}
}

// TestUserIDForSRP signs in with an email alias: the claim, USERNAME and
// SECRET_HASH must use Cognito's USER_ID_FOR_SRP, not the typed name.
func TestUserIDForSRP(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 5, 7, 0, time.UTC)
	const (
		typed    = "alice@example.com"
		userID   = "6f1c3e2a-9b7d-4c1e-8a5f-2d3b4c5d6e7f"
		password = "correct horse battery staple"
		secret   = "s3cr3t"
	)
	srv := newTestServer(testPoolName, testClientID, secret, seeded(3), now)
	srv.register(typed, userID, password, []byte{0x9a, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07})
	c := &Client{PoolID: testPoolID, ClientID: testClientID, ClientSecret: secret, Rand: seeded(4), Now: fixedNow(now)}

	sess, err := c.Start()
	if err != nil {
		t.Fatal(err)
	}
	params := sess.AuthParameters(typed)
	if params["USERNAME"] != typed || params["SECRET_HASH"] != SecretHash(typed, testClientID, secret) {
		t.Fatalf("InitiateAuth parameters %v should name the typed user", params)
	}
	challenge, pending, err := srv.initiate(params)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := sess.Respond(password, challenge)
	if err != nil {
		t.Fatal(err)
	}
	if resp["USERNAME"] != userID || resp["SECRET_HASH"] != SecretHash(userID, testClientID, secret) {
		t.Errorf("response USERNAME %q SECRET_HASH %q, want them for %q", resp["USERNAME"], resp["SECRET_HASH"], userID)
	}
	if err := srv.verify(pending, resp); err != nil {
		t.Fatalf("server rejected the claim: %v", err)
	}

	// A claim made for the typed name instead fails.
	challenge["USER_ID_FOR_SRP"] = typed
	resp, err = sess.Respond(password, challenge)
	if err != nil {
		t.Fatal(err)
	}
	resp["USERNAME"] = userID
	if err := srv.verify(pending, resp); err == nil {
		t.Fatal("a claim signed for the typed name was accepted")
	}
}

func TestTimestamp(t *testing.T) {
	la := testenv.Vegas
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 11, 22, 15, 4, 5, 0, time.UTC), "Sun Nov 22 15:04:05 UTC 2026"},
		{time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC), "Sun Nov 22 15:00:00 UTC 2026"}, // afternoon
		{time.Date(2026, 12, 1, 9, 5, 7, 0, time.UTC), "Tue Dec 1 09:05:07 UTC 2026"},    // single-digit day, morning
		{time.Date(2026, 3, 5, 0, 0, 9, 999, time.UTC), "Thu Mar 5 00:00:09 UTC 2026"},   // midnight
		{time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC), "Mon Nov 30 23:59:59 UTC 2026"},
		{time.Date(2026, 11, 30, 19, 0, 0, 0, la), "Tue Dec 1 03:00:00 UTC 2026"}, // converted to UTC
	}
	for _, tt := range tests {
		if got := Timestamp(tt.in); got != tt.want {
			t.Errorf("Timestamp(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestAfternoonLogin pins the TIMESTAMP of a 15:00 UTC sign-in, the hour a
// 12-hour clock gets wrong, and the server must accept it.
func TestAfternoonLogin(t *testing.T) {
	now := time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC)
	srv := newTestServer(testPoolName, testClientID, "", seeded(5), now)
	srv.register("bob", "bob", "hunter2", []byte("saltsaltsaltsalt"))
	c := &Client{PoolID: testPoolID, ClientID: testClientID, Rand: seeded(6), Now: fixedNow(now)}
	resp, err := login(t, c, srv, "bob", "hunter2")
	if err != nil {
		t.Fatalf("afternoon sign-in rejected: %v", err)
	}
	if got, want := resp["TIMESTAMP"], "Sun Nov 22 15:00:00 UTC 2026"; got != want {
		t.Fatalf("TIMESTAMP = %q, want %q", got, want)
	}
}

func TestSecretHash(t *testing.T) {
	// Computed with: printf 'alice@example.comclient123' | openssl dgst -sha256 -hmac s3cr3t -binary | base64
	if got, want := SecretHash("alice@example.com", "client123", "s3cr3t"), "3oRHe3WR8/3iS7+pKVoHosPyR4ClwhKdlubBSWTpAg0="; got != want {
		t.Errorf("SecretHash = %s, want %s", got, want)
	}
	gen := rand.New(rand.NewPCG(1, 2))
	for i := range 50 {
		user := fmt.Sprintf("user-%x", gen.Uint64())
		secret := strings.Repeat(fmt.Sprintf("%x", gen.Uint64()), i%12) // up to > 64 bytes
		want := base64.StdEncoding.EncodeToString(manualHMAC([]byte(secret), []byte(user+testClientID)))
		if got := SecretHash(user, testClientID, secret); got != want {
			t.Errorf("SecretHash(%q, secret of %d bytes) = %s, want %s", user, len(secret), got, want)
		}
	}
}

func TestNewClient(t *testing.T) {
	for _, id := range []string{"us-east-1_Xuc1O0biz", "local_abc123", "eu-west-2_A1b2C3d4E"} {
		if _, err := NewClient(id, testClientID, ""); err != nil {
			t.Errorf("NewClient(%q): %v", id, err)
		}
	}
	for _, id := range []string{"", "us-east-1", "_abc", "us-east-1_", "us_east_1", "us-east-1_ab c"} {
		if _, err := NewClient(id, testClientID, ""); err == nil {
			t.Errorf("NewClient(%q) succeeded, want an error", id)
		}
	}
	if _, err := NewClient(testPoolID, "", ""); err == nil {
		t.Error("NewClient with no client id succeeded")
	}
	if _, err := (&Client{PoolID: "nounderscore", ClientID: "x"}).Start(); err == nil {
		t.Error("Start with a bad pool id succeeded")
	}
}

func TestStartRandFailure(t *testing.T) {
	c := &Client{PoolID: testPoolID, ClientID: testClientID, Rand: strings.NewReader("short")}
	if _, err := c.Start(); err == nil {
		t.Fatal("Start succeeded on a short random source")
	}
}

func TestStartFresh(t *testing.T) {
	c, err := NewClient(testPoolID, testClientID, "")
	if err != nil {
		t.Fatal(err)
	}
	s1, err1 := c.Start()
	s2, err2 := c.Start()
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if s1.SRPA() == s2.SRPA() {
		t.Fatal("two sessions share A")
	}
	if want := new(big.Int).Exp(groupG, s1.a, groupN).Text(16); s1.SRPA() != want {
		t.Fatalf("SRPA is not g^a mod N")
	}
}

func validChallenge(t testing.TB) (*Session, map[string]string) {
	t.Helper()
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	srv := newTestServer(testPoolName, testClientID, "", seeded(8), now)
	srv.register("carol", "carol", "pw", []byte{1, 2, 3})
	c := &Client{PoolID: testPoolID, ClientID: testClientID, Rand: seeded(9), Now: fixedNow(now)}
	sess, err := c.Start()
	if err != nil {
		t.Fatal(err)
	}
	ch, _, err := srv.initiate(sess.AuthParameters("carol"))
	if err != nil {
		t.Fatal(err)
	}
	return sess, ch
}

func TestRespondBadChallenge(t *testing.T) {
	sess, good := validChallenge(t)
	tests := []struct {
		name  string
		param string
		value string // "" with drop deletes the key
		drop  bool
	}{
		{"no salt", "SALT", "", true},
		{"empty salt", "SALT", "", false},
		{"salt not hex", "SALT", "zz", false},
		{"salt signed", "SALT", "-1f", false},
		{"salt prefixed", "SALT", "0x1f", false},
		{"no B", "SRP_B", "", true},
		{"B not hex", "SRP_B", "12 34", false},
		{"B zero", "SRP_B", "0000", false},
		{"B is N", "SRP_B", nHex, false},
		{"B above N", "SRP_B", "1" + nHex, false},
		{"no secret block", "SECRET_BLOCK", "", true},
		{"secret block not base64", "SECRET_BLOCK", "!!!", false},
		{"no user id", "USER_ID_FOR_SRP", "", true},
		{"empty user id", "USER_ID_FOR_SRP", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := map[string]string{}
			for k, v := range good {
				ch[k] = v
			}
			if tt.drop {
				delete(ch, tt.param)
			} else {
				ch[tt.param] = tt.value
			}
			_, err := sess.Respond("pw", ch)
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Name != tt.param || !strings.Contains(err.Error(), tt.param) {
				t.Fatalf("Respond error %v, want one naming %s", err, tt.param)
			}
		})
	}
	if _, err := sess.Respond("pw", good); err != nil {
		t.Fatalf("the valid challenge failed: %v", err)
	}
}

// FuzzRespond feeds arbitrary challenge maps to Respond: it never panics, and
// every failure names the parameter at fault.
func FuzzRespond(f *testing.F) {
	sess, good := validChallenge(f)
	f.Add(good["SALT"], good["SRP_B"], good["SECRET_BLOCK"], good["USER_ID_FOR_SRP"], uint8(0xff))
	f.Add("", "", "", "", uint8(0))
	f.Add("zz", "-1", "!!", "x", uint8(0xff))
	f.Add("0x10", "+5", "QUJD", "y", uint8(0x0f))
	f.Add("ab", nHex, "QUJD", "y", uint8(0x0f))
	f.Add("ab", "0", "QUJD", "y", uint8(0x0d))
	names := []string{ParamSalt, ParamSRPB, ParamSecretBlock, ParamUserIDForSRP}
	f.Fuzz(func(t *testing.T, salt, srpB, block, userID string, present uint8) {
		if len(salt)+len(srpB)+len(block) > 1<<14 {
			return
		}
		ch := map[string]string{}
		for i, v := range []string{salt, srpB, block, userID} {
			if present&(1<<i) != 0 {
				ch[names[i]] = v
			}
		}
		resp, err := sess.Respond("pw", ch)
		if err != nil {
			var pe *ParamError
			if errors.As(err, &pe) {
				if !strings.Contains(err.Error(), pe.Name) {
					t.Fatalf("error %q does not name %s", err, pe.Name)
				}
				return
			}
			if !errors.Is(err, errZeroU) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if resp["USERNAME"] != userID || resp["PASSWORD_CLAIM_SECRET_BLOCK"] != block || resp["PASSWORD_CLAIM_SIGNATURE"] == "" {
			t.Fatalf("bad response %v", resp)
		}
	})
}
