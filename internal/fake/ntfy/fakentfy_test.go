package fakentfy_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	fakentfy "github.com/reinvent-cli/reinvent/internal/fake/ntfy"
)

func post(t *testing.T, url, body string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// The three ways of giving a sequence id that the docs show (a path
// segment, a header, a JSON field) are one sequence, and polling the topic
// returns every message of it.
func TestSequenceAndPoll(t *testing.T) {
	s := fakentfy.New()
	defer s.Close()
	for _, r := range []*http.Response{
		post(t, s.URL()+"/mytopic/dl-123", "Downloading file...", map[string]string{"Title": "=?utf-8?q?Caf=C3=A9?="}),
		post(t, s.URL()+"/mytopic", "Download 50% ...", map[string]string{"X-Sequence-ID": "dl-123", "Priority": "urgent", "Tags": "warning,skull"}),
		post(t, s.URL()+"/", `{"topic":"mytopic","message":"Download complete","sequence_id":"dl-123","priority":4}`, nil),
		post(t, s.URL()+"/mytopic", "other", nil),
	} {
		if r.StatusCode != http.StatusOK {
			t.Fatalf("publish: %s", r.Status)
		}
	}
	n := s.Notifications("mytopic")
	if len(n) != 2 || n[0].Message != "Download complete" || n[0].Priority != 4 || n[1].Message != "other" {
		t.Errorf("notifications %+v", n)
	}
	resp, err := http.Get(s.URL() + "/mytopic/json?poll=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var polled []fakentfy.Message
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		var m fakentfy.Message
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("poll line %q: %v", sc.Text(), err)
		}
		polled = append(polled, m)
	}
	if len(polled) != 4 || polled[0].Title != "Café" || polled[1].Priority != 5 || len(polled[1].Tags) != 2 ||
		polled[2].SequenceID != "dl-123" || polled[3].SequenceID != "" || polled[3].Event != "message" {
		t.Errorf("polled %+v", polled)
	}
}

func TestAuth(t *testing.T) {
	s := fakentfy.New()
	defer s.Close()
	s.AddUser("phil", "pw")
	s.AddToken("tk_abc")
	for _, tc := range []struct {
		auth string
		want int
	}{
		{"", http.StatusForbidden},
		{"Basic cGhpbDpwdw==", http.StatusOK},       // phil:pw
		{"Basic cGhpbDp4", http.StatusUnauthorized}, // phil:x
		{"Bearer tk_abc", http.StatusOK},
		{"Basic OnRrX2FiYw==", http.StatusOK}, // :tk_abc
		{"Bearer tk_nope", http.StatusUnauthorized},
	} {
		h := map[string]string{}
		if tc.auth != "" {
			h["Authorization"] = tc.auth
		}
		if r := post(t, s.URL()+"/t", "m", h); r.StatusCode != tc.want {
			t.Errorf("Authorization %q: %s, want %d", tc.auth, r.Status, tc.want)
		}
	}
	if got := len(s.Messages("t")); got != 3 {
		t.Errorf("the topic holds %d messages, want 3", got)
	}
}
