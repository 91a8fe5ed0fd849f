package follow

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Check says what of o cannot work, in the words of follow's flags
// (docs/follow.md): a negative buffer, a calendar file in a folder that
// does not exist, a write bound or --swap without --rebook. calendarURL
// is --calendar-url, which prints the calendar's URL and runs nothing.
func Check(o Options, eo EveryOptions, calendarURL bool) error {
	switch {
	case eo.Every != 0 && eo.Every < MinEvery:
		return fmt.Errorf("--every %s is too often: at least %s, so that the AWS Events API's quota is never the limit (docs/follow.md)", eo.Every, MinEvery)
	case eo.Serve != "" && eo.Every == 0 && !calendarURL:
		// --calendar-url --serve-calendar ADDR prints the URL at ADDR.
		return errors.New("--serve-calendar serves while follow runs: add --every DUR")
	case o.Plan.Plan.Buffer < 0:
		return fmt.Errorf("--buffer must not be negative, got %v", o.Plan.Plan.Buffer)
	case o.ICS != "" && !isDir(filepath.Dir(o.ICS)):
		return fmt.Errorf("--ics %s: the folder %s does not exist; create it, or write the calendar elsewhere", o.ICS, filepath.Dir(o.ICS))
	case o.Reserve.MaxWrites < 0 || o.Reserve.MaxWrites > 0 && !o.Rebook:
		return fmt.Errorf("--max-writes %d: with --rebook, give the most reservation requests a run may send, or 0 for no bound", o.Reserve.MaxWrites)
	case o.Swap && !o.Rebook:
		return errors.New("--swap gives up a seat only for one --rebook took in its place: add --rebook")
	}
	return nil
}

// isDir reports whether dir is a folder that exists.
func isDir(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}
