package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/render"
	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// ScheduleOptions are the inputs of reinvent schedule.
type ScheduleOptions struct {
	IO     *IOStreams
	Config *Config
	Source func() (catalog.Source, error)
	// Fetch fetches the catalog of a source, from the store's cache when
	// its copy will do.
	Fetch func(ctx context.Context, src catalog.Source, fresh bool) (*catalog.Catalog, error)
	// Account returns the AWS Events API with the stored sign-in, whose
	// schedule (seats held, personal time) the plan works around.
	Account func() (*eventsapi.Catalog, error)

	Codes         []string
	Starred       bool
	Format        string
	TravelFile    string
	Buffer        time.Duration
	UnknownTravel time.Duration
	TimeLimit     time.Duration
	// IgnoreReserved plans from scratch, as if nothing were held.
	IgnoreReserved bool
}

var scheduleFormats = []string{"table", "json", "csv", "ics"}

// NewCmdSchedule returns the schedule command. Tests pass runF to check
// flag parsing without running the solver.
func NewCmdSchedule(f *Factory, runF func(context.Context, *ScheduleOptions) error) *cobra.Command {
	opts := &ScheduleOptions{IO: f.IO, Config: f.Config, Fetch: f.fetch, Account: f.eventsAccount}
	cmd := &cobra.Command{
		Use:   "schedule [CODE...] [--starred] [--format table|json|csv|ics]",
		Short: "Build the best schedule from session codes, across all repeats",
		Long: `Build the schedule that fits the most of the given session codes, choosing among
every repeat of each and allowing for the walk between venues.

Codes are in priority order: the first is the one you want most. A base code such
as SVS401 stands for every repeat (SVS401, SVS401-R, SVS401-R1, ...); a full code
such as SVS401-R1 for that one instance, and a code ending in = (AIM306=) for
exactly that instance even when it is also a base code. Codes may be separated by
commas. --starred adds, after the codes given: first the sessions you hold a seat
for, each as exactly that instance; then your starred keynotes; then your other
starred sessions, in catalog order, each by base code, so that any repeat may be
chosen.

Two sessions fit together when they are on different days, or when the later one
starts at least the travel time between their venues plus --buffer after the
earlier one ends. The built-in travel table holds planning minutes between the
re:Invent venues (walking time plus 10 minutes, see docs/travel.md); --travel
overrides pairs of it, and a pair nobody knows costs --unknown-travel. An all-day
session you drop in on (a lounge, the expo, self-paced labs) blocks nothing; other
all-day sessions clash with everything on their day (docs/schedule.md).

The schedule is optimal, in this order: the most codes scheduled; then earlier
codes before later ones; then the fewest minutes of travel. Every code that does
not fit is listed with the sessions that block it, and every code not found with
close matches. Some codes not found still exit 0; only when none of the codes
exists does schedule exit 1.

The seats you hold are fixed in the plan: the schedule keeps every one of them that
fits with the others, whatever that costs the rest, and only a clash between two
held seats leaves one out (and says so). On the AWS Events API with a sign-in
(reinvent login) they come from your schedule, and your personal time is busy too:
nothing is placed inside a block, and the walk to and from its location counts
when it names a venue; on another source they are the catalog's reserved sessions.
--ignore-reserved plans from scratch. reinvent reserve books such a plan.

A base code and an instance of it (SVS401 and SVS401-R1) name the same talk: the
first mention is kept, and stderr says which code was merged into which.`,
		Example: `  # Two sessions from the embedded sample catalog, no account needed
  reinvent schedule --source sample SVS401 ARC302

  # Your starred sessions after two must-haves, as a calendar file
  reinvent schedule SVS401 ARC302 --starred --format ics > reinvent.ics

  # Keep 10 minutes spare between sessions, with your own walking times
  reinvent schedule --buffer 10m --travel travel.yaml SVS401 ARC302 DAT301`,
		RunE: func(cmd *cobra.Command, args []string) error {
			args = splitCodes(args)
			opts.Codes = args
			opts.Source = f.Source
			if len(args) == 0 && !opts.Starred {
				return usageErrorf("give at least one session code or --starred, e.g. reinvent schedule SVS401 ARC302")
			}
			if !slices.Contains(scheduleFormats, opts.Format) {
				return usageErrorf("unknown --format %q: use %s", opts.Format, strings.Join(scheduleFormats, ", "))
			}
			if opts.Buffer < 0 {
				return usageErrorf("--buffer must not be negative, got %v", opts.Buffer)
			}
			if opts.UnknownTravel < 0 {
				return usageErrorf("--unknown-travel must not be negative, got %v", opts.UnknownTravel)
			}
			if opts.TimeLimit <= 0 {
				return usageErrorf("--time-limit must be positive, got %v", opts.TimeLimit)
			}
			for _, c := range args {
				code, _ := schedule.CutExact(c)
				if _, err := catalog.ParseCode(code); err != nil {
					return usageErrorf("%v", err)
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return scheduleRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Starred, "starred", false, "add your starred sessions after the given codes")
	cmd.Flags().StringVar(&opts.Format, "format", "table", "output format: table, json, csv or ics")
	cmd.Flags().StringVar(&opts.TravelFile, "travel", "", "YAML or JSON `FILE` of travel minutes between venues, overriding built-in pairs")
	cmd.Flags().DurationVar(&opts.Buffer, "buffer", 0, "extra time to keep free between two sessions on the same day")
	cmd.Flags().DurationVar(&opts.UnknownTravel, "unknown-travel", 30*time.Minute, "travel time between venues the travel table does not know")
	cmd.Flags().BoolVar(&opts.IgnoreReserved, "ignore-reserved", false, "plan from scratch instead of around the seats you hold (and, on the Events API, your personal time)")
	cmd.Flags().DurationVar(&opts.TimeLimit, "time-limit", 2*time.Second, "longest the search may take; then the best schedule found is shown, marked not proven optimal")
	addSourceFlags(f, cmd)
	return cmd
}

func scheduleRun(ctx context.Context, opts *ScheduleOptions) error {
	travel, fromFile, err := loadTravel(opts.TravelFile)
	if err != nil {
		return err
	}
	src, err := opts.Source()
	if err != nil {
		return err
	}
	cat, err := opts.Fetch(ctx, src, false)
	if err != nil {
		return err
	}

	if err := checkTravelVenues(opts.TravelFile, fromFile, cat.Sessions); err != nil {
		return err
	}

	codes := slices.Clone(opts.Codes)
	if opts.Starred {
		codes = append(codes, starredCodes(cat.Sessions)...)
		if len(codes) == 0 {
			return &ExitError{Code: ExitFailure, Err: errors.New("you have no starred sessions in this catalog; star some, or give session codes")}
		}
	}
	po := schedule.Options{
		Travel:        travel,
		Buffer:        opts.Buffer,
		UnknownTravel: opts.UnknownTravel,
		Location:      opts.Config.Location,
		TimeLimit:     opts.TimeLimit,
	}
	held, err := heldOf(ctx, opts, cat.Sessions)
	if err != nil {
		return err
	}
	var res *schedule.Result
	if held != nil {
		res, err = reserve.Plan(codes, cat.Sessions, *held, po)
	} else {
		res, err = schedule.Plan(codes, cat.Sessions, po)
	}
	if err != nil {
		return usageErrorf("%v", err)
	}
	if held != nil {
		hidePersonal(res, held)
		for _, u := range reserve.HeldLeftOut(res, cat.Sessions, *held) {
			fmt.Fprintf(opts.IO.ErrOut, "you hold a seat for %s, but it clashes with %s, also yours: the plan keeps the other; reinvent cancel %s gives this seat up\n",
				u.Code, strings.Join(u.BlockedBy, ", "), u.Code)
		}
	}
	for _, m := range res.Merged {
		fmt.Fprintf(opts.IO.ErrOut, "%s merged into %s: both name the same session, and the first mention wins\n", m.Code, m.Into)
	}
	asked := len(res.Requested) // the codes asked for: not the held ones
	if held != nil {
		asked -= len(held.Codes(cat.Sessions))
	}
	suggestions := catalog.CloseCodes(res.NotFound, cat.Sessions)
	if len(res.NotFound) > 0 && len(res.NotFound) == asked {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("no session in %s matches %s", src.Name(), describeNotFound(res.NotFound, suggestions))}
	}

	ro := render.ScheduleOptions{
		Location:    opts.Config.Location,
		Suggestions: suggestions,
		Stamp:       cat.FetchedAt,
		Seats:       render.SeatsOf(res, cat.Sessions),
		Width:       tableWidth(opts.IO),
	}
	write := map[string]func(io.Writer, *schedule.Result, render.ScheduleOptions) error{
		"table": render.ScheduleTable,
		"json":  render.ScheduleJSON,
		"csv":   render.ScheduleCSV,
		"ics":   render.ScheduleICS,
	}[opts.Format]
	if err := write(opts.IO.Out, res, ro); err != nil {
		return err
	}
	if opts.Format == "csv" || opts.Format == "ics" {
		// These formats have no room for what is missing, and are mostly
		// sent to a file: say it on stderr, one line each, as the table
		// says it.
		for _, u := range res.Unscheduled {
			why := "no time announced yet"
			if u.Reason != schedule.ReasonNoTime {
				why = u.Reason
				if len(u.BlockedBy) > 0 {
					why += ": blocked by " + strings.Join(u.BlockedBy, ", ")
				}
			}
			fmt.Fprintf(opts.IO.ErrOut, "could not schedule %s (%s)\n", u.Code, why)
		}
		for _, c := range res.NotFound {
			fmt.Fprintf(opts.IO.ErrOut, "not found: %s\n", describeNotFound([]string{c}, suggestions))
		}
	}
	return nil
}

// heldOf is what the plan must work around: on the Events API with a
// sign-in, the seats held and the personal time of your schedule; on any
// other source, the catalog's reserved sessions. It is nil with
// --ignore-reserved.
func heldOf(ctx context.Context, opts *ScheduleOptions, sessions []catalog.Session) (*reserve.Held, error) {
	if opts.IgnoreReserved {
		return nil, nil
	}
	inCatalog := reserve.HeldIn(sessions)
	if opts.Config.Source != "events-api" || opts.Account == nil {
		return &inCatalog, nil
	}
	acct, err := opts.Account()
	if err != nil || acct.Token == nil {
		return &inCatalog, err
	}
	if t, err := acct.Token(ctx, false); err != nil || t == "" {
		return &inCatalog, err
	}
	sch, err := acct.Schedule(ctx, opts.Config.EventFor("events-api"))
	switch {
	case errors.Is(err, catalog.ErrAuth):
		return nil, &ExitError{Code: ExitAuth, Err: err}
	case errors.Is(err, catalog.ErrUnavailable):
		return nil, &ExitError{Code: ExitUpstream, Err: err}
	case err != nil:
		return nil, err
	}
	h := reserve.HeldOf(sch)
	return &h, nil
}

// hidePersonal takes the personal blocks out of what is shown, and names
// one that blocks a code as "personal time (TITLE)".
func hidePersonal(res *schedule.Result, held *reserve.Held) {
	names := map[string]string{}
	res.Scheduled = slices.DeleteFunc(res.Scheduled, func(c schedule.Choice) bool {
		if reserve.IsPersonal(c.Code) {
			names[c.Session.Code] = reserve.PersonalName(c.Session.Title)
			return true
		}
		return false
	})
	res.Requested = slices.DeleteFunc(res.Requested, reserve.IsPersonal)
	for i := range res.Unscheduled {
		for j, b := range res.Unscheduled[i].BlockedBy {
			if n, ok := names[b]; ok {
				res.Unscheduled[i].BlockedBy[j] = n
			}
		}
	}
}

// tableWidth is the width the table is laid out for: the terminal's when
// stdout is one, else $COLUMNS when set, else render.DefaultWidth.
func tableWidth(ios *IOStreams) int {
	if ios.StdoutTTY {
		if f, ok := ios.Out.(interface{ Fd() uintptr }); ok {
			if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
				return w
			}
		}
	}
	if c, err := strconv.Atoi(strings.TrimSpace(os.Getenv("COLUMNS"))); err == nil && c > 0 {
		return c
	}
	return 0
}

// loadTravel returns the built-in travel table with the pairs of the travel
// file, if one is given, overriding it.
func loadTravel(path string) (merged, fromFile *schedule.Travel, err error) {
	builtin := schedule.Builtin()
	if path == "" {
		return builtin, nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if e := errors.Unwrap(err); e != nil {
			err = e // "no such file or directory", without "open PATH"
		}
		return nil, nil, usageErrorf("%v; check --travel", &schedule.TravelError{File: path, Msg: err.Error()})
	}
	t, err := schedule.ParseTravel(data, path)
	if err != nil {
		return nil, nil, usageErrorf("%v", err)
	}
	return builtin.Merge(t), t, nil
}

// checkTravelVenues refuses a travel file that names a venue neither the
// built-in table nor the catalog knows: a typo ("Venetain") would otherwise
// change nothing, in silence. Names compare as the table compares them.
func checkTravelVenues(path string, fromFile *schedule.Travel, sessions []catalog.Session) error {
	if fromFile == nil {
		return nil
	}
	key := catalog.VenueKey
	known := map[string]string{}
	for _, v := range schedule.Builtin().Venues() {
		known[key(v)] = v
	}
	for i := range sessions {
		if v := sessions[i].Venue; v != "" {
			known[key(v)] = v
		}
	}
	for _, v := range fromFile.Venues() {
		if _, ok := known[key(v)]; ok {
			continue
		}
		var names []string
		for _, n := range known {
			names = append(names, n)
		}
		slices.Sort(names)
		slices.SortStableFunc(names, func(a, b string) int {
			return catalog.EditDistance(key(v), key(a)) - catalog.EditDistance(key(v), key(b))
		})
		return usageErrorf("%v", &schedule.TravelError{File: path, Line: fromFile.VenueLine(v), Msg: fmt.Sprintf(
			"unknown venue %q; the closest known venues are %s (names compare without case and a leading \"The \")",
			v, strings.Join(names[:min(3, len(names))], ", "))})
	}
	return nil
}

// starredCodes returns the codes --starred adds, in the order the starred
// sessions take place: the base code of each starred session, so that any
// repeat may be chosen, but the full code of a reserved one, whose seat is
// for that instance.
func starredCodes(sessions []catalog.Session) []string {
	var reserved, keynotes, others []string
	held := map[string]bool{}
	for _, s := range sessions {
		if s.Reserved && !s.Embargoed {
			code := s.Code
			if s.Code == s.BaseCode {
				code += schedule.ExactMark // AIM306 the instance, not any repeat of AIM306
			}
			reserved = append(reserved, code)
			held[s.BaseCode] = true
		}
	}
	seen := map[string]bool{}
	for _, s := range sessions {
		if !s.Starred || s.Reserved || s.Embargoed || held[s.BaseCode] || seen[s.BaseCode] {
			continue
		}
		seen[s.BaseCode] = true
		if strings.Contains(strings.ToLower(s.Type), "keynote") {
			keynotes = append(keynotes, s.BaseCode)
		} else {
			others = append(others, s.BaseCode)
		}
	}
	return slices.Concat(reserved, keynotes, others)
}

// splitCodes splits arguments at commas, as the bot reads a post:
// "SVS401,ARC302" is two codes.
func splitCodes(args []string) []string {
	var out []string
	for _, a := range args {
		for _, c := range strings.Split(a, ",") {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

func describeNotFound(codes []string, suggestions map[string][]string) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = c
		if s := suggestions[c]; len(s) > 0 {
			parts[i] += " (did you mean " + strings.Join(s, ", ") + "?)"
		}
	}
	return strings.Join(parts, ", ")
}
