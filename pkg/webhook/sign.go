// Package webhook receives X's webhook: the CRC check, signed event deliveries, and the mentions in them.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// SignatureHeader is the header in which X signs every delivery with the
// app's OAuth 1.0a consumer secret ("Legacy" in the webhooks introduction).
const SignatureHeader = "X-Twitter-Webhooks-Signature"

// OAuth2SignatureHeader is the header in which X signs a delivery with
// the app's OAuth 2.0 client secret ("Recommended"; docs/webhook.md,
// "Signatures").
const OAuth2SignatureHeader = "X-Twitter-Webhooks-Signature-OAuth2"

// signaturePrefix starts both the CRC response token and the signature.
const signaturePrefix = "sha256="

// CRC answers X's challenge: "sha256=" + base64(HMAC-SHA256(key=consumerSecret, token)).
// X sends the challenge when the webhook is registered and again from time to
// time; the webhook is disabled when the answer is wrong.
func CRC(consumerSecret, token string) string {
	return signaturePrefix + base64.StdEncoding.EncodeToString(mac(consumerSecret, []byte(token)))
}

// Sign is the x-twitter-webhooks-signature of body (for tests and load generators).
func Sign(consumerSecret string, body []byte) string {
	return signaturePrefix + base64.StdEncoding.EncodeToString(mac(consumerSecret, body))
}

// Verify reports whether signature is the signature of body under
// consumerSecret. The comparison takes the same time wherever the two MACs
// differ, so a forger learns nothing from timing. An empty secret never
// verifies: anyone could sign with it.
func Verify(consumerSecret string, body []byte, signature string) bool {
	if consumerSecret == "" {
		return false
	}
	encoded, ok := strings.CutPrefix(signature, signaturePrefix)
	if !ok {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	return hmac.Equal(got, mac(consumerSecret, body))
}

func mac(secret string, msg []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	return m.Sum(nil)
}
