package reserve

import (
	"time"
)

// sentAt is a write a fake account saw: when, and of how many sessions.
type sentAt struct {
	at time.Time
	n  int
}
