package secretref_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/reinvent-cli/reinvent/pkg/secretref"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want secretref.Ref
		err  string
	}{
		{in: "secretsmanager:reinvent/x#consumer_secret", want: secretref.Ref{Service: secretref.SecretsManager, ID: "reinvent/x", Key: "consumer_secret"}},
		{in: "secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:reinvent/x-AbCdEf#k",
			want: secretref.Ref{Service: secretref.SecretsManager, ID: "arn:aws:secretsmanager:us-east-1:123456789012:secret:reinvent/x-AbCdEf", Key: "k"}},
		{in: "secretsmanager:reinvent-password", want: secretref.Ref{Service: secretref.SecretsManager, ID: "reinvent-password"}},
		{in: "ssm:/reinvent/x/consumer-secret", want: secretref.Ref{Service: secretref.SSM, ID: "/reinvent/x/consumer-secret"}},
		{in: "ssm:arn:aws:ssm:us-east-1:123456789012:parameter/reinvent/token", want: secretref.Ref{Service: secretref.SSM, ID: "arn:aws:ssm:us-east-1:123456789012:parameter/reinvent/token"}},
		{in: "secretsmanager:", err: "names no secret"},
		{in: "secretsmanager:#key", err: "names no secret"},
		{in: "secretsmanager:name#", err: "nothing after #"},
		{in: "ssm:", err: "names no secret"},
		{in: "ssm:/a#b", err: "takes no #KEY"},
		{in: "ssm:/a b", err: "holds a space"},
		{in: "secretsmanager:a\x1b[31m", err: "control character"},
		{in: "plain", err: "not a reference"},
	} {
		got, err := secretref.Parse(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Parse(%q) = %+v, %v; want an error with %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want || got.String() != tc.in {
			t.Errorf("Parse(%q) = %+v (%q), %v; want %+v", tc.in, got, got.String(), err, tc.want)
		}
	}
}

// FuzzParse: whatever the value, Parse either reads a reference that
// writes back to exactly the value, names something, and holds nothing a
// terminal would act on, or fails with a line that does not quote it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"secretsmanager:reinvent/x#consumer_secret", "secretsmanager:name", "ssm:/a/b", "ssm:",
		"secretsmanager:#", "secretsmanager:a#b#c", "ssm:/a#b", "secretsmanager:a\x00b", "ssm:\xff",
		"secretsmanager:arn:aws:secretsmanager:us-east-1:1:secret:n-AbCdEf#k", "plain-secret", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ref, err := secretref.Parse(in)
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") || (len(in) > 16 && strings.Contains(msg, in)) {
				t.Fatalf("Parse(%q): error %q is not one line, or quotes the value", in, msg)
			}
			return
		}
		if !secretref.IsRef(in) || ref.String() != in || ref.ID == "" {
			t.Fatalf("Parse(%q) = %+v, which writes back as %q", in, ref, ref.String())
		}
		if ref.Service == secretref.SSM && ref.Key != "" || strings.Contains(ref.ID, "#") {
			t.Fatalf("Parse(%q) = %+v: a key where there can be none", in, ref)
		}
		if strings.IndexFunc(in, func(c rune) bool { return unicode.IsControl(c) || unicode.IsSpace(c) || c == unicode.ReplacementChar }) >= 0 {
			t.Fatalf("Parse(%q) accepted a control character or a space", in)
		}
	})
}
