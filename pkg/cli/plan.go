package cli

import (
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/reinvent-cli/reinvent/pkg/reserve"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
)

// planFlags binds the named flags of a plan to po: travel, buffer,
// unknown-travel and time-limit, as schedule has them.
func planFlags(fl *pflag.FlagSet, po *reserve.PlanOptions, names ...string) {
	for _, n := range names {
		switch n {
		case "travel":
			fl.StringVar(&po.TravelFile, n, "", "YAML or JSON `FILE` of travel minutes between venues, overriding built-in pairs")
		case "buffer":
			fl.DurationVar(&po.Plan.Buffer, n, 0, "extra time to keep free between two sessions on the same day")
		case "unknown-travel":
			fl.DurationVar(&po.Plan.UnknownTravel, n, schedule.DefaultUnknownTravel, "travel time between venues the travel table does not know")
		case "time-limit":
			fl.DurationVar(&po.Plan.TimeLimit, n, schedule.DefaultTimeLimit, "longest the search may take; then the best schedule found is shown, marked not proven optimal")
		}
	}
}

// checkFormat is the usage error of a --format that is not one of formats.
func checkFormat(format string, formats []string) error {
	if !slices.Contains(formats, format) {
		return usageErrorf("unknown --format %q: use %s", format, strings.Join(formats, ", "))
	}
	return nil
}
