package webhook

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkHandlerPOST measures one signed delivery of about 2 KB with a
// mention: read, verify, parse, queue (a no-op) and answer.
func BenchmarkHandlerPOST(b *testing.B) {
	body := readFixture(b, "aa_bench.json")
	sig := Sign(secret, body)
	h := &Handler{ConsumerSecret: secret, BotHandle: bot, Queue: func(context.Context, []Mention) error { return nil }}
	rd := bytes.NewReader(body)
	req := httptest.NewRequest(http.MethodPost, "/webhook", rd)
	req.Header.Set(SignatureHeader, sig)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		rd.Reset(body)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

func BenchmarkCRC(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		CRC(secret, "crc-token-1764608712000")
	}
}

func BenchmarkCodes(b *testing.B) {
	text := "@reinventbot make a schedule that includes svs215 con213 api304 https://example.com/ABC123 #SVS999 @ARC302 SVS215-R1, svs215!"
	b.ReportAllocs()
	for b.Loop() {
		Codes(text, bot, 40)
	}
}
