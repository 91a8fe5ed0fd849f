package settings

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestLogger: the logger logs at log-level and above, as text or JSON.
func TestLogger(t *testing.T) {
	var b bytes.Buffer
	(&Config{LogLevel: "warn", LogFormat: "text"}).Logger(&b).Info("quiet")
	(&Config{LogLevel: "warn", LogFormat: "text"}).Logger(&b).Warn("loud", "n", 1)
	if got := b.String(); strings.Contains(got, "quiet") || !strings.Contains(got, "level=WARN msg=loud n=1") {
		t.Errorf("text at warn: %q", got)
	}
	b.Reset()
	(&Config{LogLevel: "debug", LogFormat: "json"}).Logger(&b).Debug("detail")
	var line map[string]any
	if err := json.Unmarshal(b.Bytes(), &line); err != nil || line["level"] != "DEBUG" || line["msg"] != "detail" {
		t.Errorf("json at debug: %q (%v)", b.String(), err)
	}
}
