package catalogtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/sample"
)

// Sample2400 is the sample catalog grown to 2,400 sessions by repeating its
// first sessions under new codes (SVS401 again as SVSQ401): the one catalog
// of the 2,400-session benchmarks of docs/performance.md, so that their
// figures compare. Times are in UTC. It fails tb if the sample cannot be
// read.
func Sample2400(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	c, err := sample.Source{}.Fetch(context.Background(), catalog.FetchOptions{Location: time.UTC})
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; len(c.Sessions) < 2400; i++ {
		s := c.Sessions[i]
		code, _ := catalog.ParseCode(s.Code)
		letters := strings.TrimRight(code.Base, "0123456789")
		s.Code = letters + "Q" + strings.TrimPrefix(s.Code, letters)
		s.SessionID += "-copy"
		s.Normalize(time.UTC)
		c.Sessions = append(c.Sessions, s)
	}
	return c
}
