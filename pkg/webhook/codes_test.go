package webhook

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
)

func TestCodes(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{
			"@reinventbot make a schedule that includes svs215 con213 api304 https://example.com/ABC123 #SVS999 @ARC302 SVS215-R1, svs215!",
			[]string{"SVS215", "CON213", "API304", "SVS215-R1"},
		},
		{"@reinventbot svs215,con213;api304/arc302", []string{"SVS215", "CON213", "API304", "ARC302"}},
		{"(SVS215-R1). “ARC302” [DAT335]? 'svs101'", []string{"SVS215-R1", "ARC302", "DAT335", "SVS101"}},
		{"trailing dash SVS215- and -R1 leftover", []string{"SVS215", "R1"}},
		{"@GPSBUS210 (@ARC302) #reInvent2026 $AMZN1 ＠SVS100 ＃SVS200", nil},
		{"www.example.com/SVS215 http://t.co/ARC302 ftp://x/DAT335", nil},
		{"SVS215,#SVS999 me@SVS300 SVS215x ARC302-R1-X", []string{"SVS215"}},
		{"re:Invent 2026 at 10:00, see you!", nil},
		{"ſvs215 ＳＶＳ２１５", nil}, // look-alikes are not ASCII codes
		{"svs215\nCON213\tapi304", []string{"SVS215", "CON213", "API304"}},
		{"SVS215 svs215 Svs215 SVS215-r1 svs215-R1", []string{"SVS215", "SVS215-R1"}},
		{"", nil},
	}
	for _, tt := range tests {
		got, truncated := Codes(tt.text, bot, 40)
		if !reflect.DeepEqual(got, tt.want) || truncated {
			t.Errorf("Codes(%q) = %q, %v; want %q, false", tt.text, got, truncated, tt.want)
		}
	}
}

func TestCodesNeverTheBotHandle(t *testing.T) {
	// A bot whose handle is shaped like a code: its name alone is not a code.
	got, _ := Codes("@reinvent26 reinvent26 REINVENT26, svs215", "reinvent26", 40)
	if want := []string{"SVS215"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Codes = %q, want %q", got, want)
	}
}

func TestCodesMax(t *testing.T) {
	var words []string
	for i := range 200 {
		words = append(words, fmt.Sprintf("SVS%03d", i))
	}
	got, truncated := Codes("@reinventbot "+strings.Join(words, " "), bot, 40)
	if !truncated || !reflect.DeepEqual(got, words[:40]) {
		t.Errorf("Codes(200 codes, 40) = %d codes %q..., truncated %v; want the first 40 and truncated", len(got), got[:min(len(got), 3)], truncated)
	}
	// Exactly max distinct codes, with repeats after them, is not truncated.
	got, truncated = Codes(strings.Join(words[:40], " ")+" SVS000 svs039", bot, 40)
	if truncated || len(got) != 40 {
		t.Errorf("Codes(40 codes and repeats, 40) = %d codes, truncated %v; want 40, false", len(got), truncated)
	}
	if got, truncated := Codes(strings.Join(words, " "), bot, 0); truncated || len(got) != 200 {
		t.Errorf("Codes(200 codes, no limit) = %d codes, truncated %v; want 200, false", len(got), truncated)
	}
}

func FuzzCodes(f *testing.F) {
	f.Add("@reinventbot make a schedule that includes svs215 con213 api304 https://example.com/ABC123 #SVS999 @ARC302 SVS215-R1, svs215!", bot, 40)
	f.Add("svs215,con213;(ARC302-R1). ſvs1 K1 -R1- www.x/A1", "a1", 2)
	f.Add("", "", 0)
	f.Fuzz(func(t *testing.T, text, handle string, max int) {
		codes, truncated := Codes(text, handle, max)
		if max > 0 && len(codes) > max {
			t.Fatalf("%d codes for max %d", len(codes), max)
		}
		if truncated && (max <= 0 || len(codes) != max) {
			t.Fatalf("truncated with %d codes for max %d", len(codes), max)
		}
		seen := map[string]bool{}
		for _, c := range codes {
			parsed, err := catalog.ParseCode(c)
			if err != nil || parsed.String() != c {
				t.Errorf("code %q does not parse back to itself: %v", c, err)
			}
			if seen[c] {
				t.Errorf("code %q returned twice", c)
			}
			seen[c] = true
			if !strings.Contains(strings.ToUpper(text), c) {
				t.Errorf("code %q is not in the text %q", c, text)
			}
			if h := strings.TrimPrefix(handle, "@"); h != "" && strings.EqualFold(c, h) {
				t.Errorf("the bot's handle %q returned as a code", handle)
			}
		}
	})
}
