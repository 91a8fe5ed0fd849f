package webhook

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// MaxCodes is the most session codes one mention is scheduled with.
const MaxCodes = 40

// Thread words the answer to a mention as a thread of posts of at most
// 280 weighted characters each: "@user N of M sessions scheduled:", one
// line per chosen session "• CODE – Ddd HH:MM at VENUE", then the codes
// that could not be scheduled and those not found. truncated says the
// mention held more than MaxCodes codes.
func Thread(user string, res *schedule.Result, truncated bool, loc *time.Location) []string {
	lines := []string{fmt.Sprintf("%s%d of %d sessions scheduled:", at(user), len(res.Scheduled), len(res.Requested))}
	for _, c := range res.Scheduled {
		line := "• " + c.Session.Code + " – " + c.Session.Start.In(loc).Format("Mon 15:04")
		if c.Session.Venue != "" {
			line += " at " + c.Session.Venue
		}
		lines = append(lines, line)
	}
	var conflicts, untimed []string
	for _, u := range res.Unscheduled {
		if u.Reason == schedule.ReasonNoTime {
			untimed = append(untimed, u.Code)
		} else {
			conflicts = append(conflicts, u.Code)
		}
	}
	if len(conflicts) > 0 {
		lines = append(lines, "Unable to schedule these sessions due to conflicts: "+strings.Join(conflicts, ", "))
	}
	if len(untimed) > 0 {
		lines = append(lines, "No time announced yet: "+strings.Join(untimed, ", "))
	}
	if len(res.NotFound) > 0 {
		lines = append(lines, "Not found in the catalog: "+strings.Join(res.NotFound, ", "))
	}
	if truncated {
		lines = append(lines, fmt.Sprintf("I used the first %d codes of your post.", MaxCodes))
	}
	for i := range lines {
		lines[i] = x.Defuse(lines[i]) // no link in catalog text: a post with one costs 13 times more
	}
	return Split(lines, x.MaxLength-stampRoom)
}

// stampRoom is the most a stamp weighs: "\nref abcdef · 99/99".
const stampRoom = 20

// Stamp ends each post of the answer to mention with a reference derived
// from the mention's id, and its place in a thread of several: "ref
// k3v9qa · 2/3". X refuses a text the bot posted before, so two users
// asking for the same codes would otherwise get one answer between them;
// and the worker relies on that refusal to spot a post made by an attempt
// that died before recording it, which needs every post of every answer
// to read differently.
func Stamp(posts []string, mention string) []string {
	sum := sha256.Sum256([]byte(mention))
	ref := strings.ToLower(base32.StdEncoding.EncodeToString(sum[:]))[:6]
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = p + "\nref " + ref
		if len(posts) > 1 {
			out[i] += fmt.Sprintf(" · %d/%d", i+1, len(posts))
		}
	}
	return out
}

// HelpText is the one-post answer to a mention without session codes.
func HelpText(user, bot string) string {
	return at(user) + "Tweet me session codes and I'll reply with the best schedule over all their repeats, with walking time between venues. Example: @" +
		bot + " SVS401 ARC302 DAT301"
}

// LimitText is the one polite answer to a user over the hourly limit.
func LimitText(user string, limit int) string {
	return at(user) + fmt.Sprintf("You've asked for %d schedules in the last hour, which is my limit. Please try again in a little while.", limit)
}

func at(user string) string {
	if !ValidHandle(user) {
		return "" // the handler drops such mentions; never write it after an @
	}
	return "@" + user + " "
}

// Split packs lines into posts of at most max weighted characters, in
// order, one line per row. A line too long for a post of its own is
// broken at spaces; a word too long for a post is cut.
func Split(lines []string, max int) []string {
	var posts []string
	cur := ""
	flush := func() {
		if cur != "" {
			posts = append(posts, cur)
			cur = ""
		}
	}
	for _, line := range lines {
		if cur != "" && x.WeightedLength(cur+"\n"+line) <= max {
			cur += "\n" + line
			continue
		}
		flush()
		if x.WeightedLength(line) <= max {
			cur = line
			continue
		}
		for _, word := range strings.Fields(line) {
			if cur != "" && x.WeightedLength(cur+" "+word) <= max {
				cur += " " + word
				continue
			}
			flush()
			cur = x.Shorten(word, max)
		}
	}
	flush()
	return posts
}
