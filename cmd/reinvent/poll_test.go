package main

import (
	"fmt"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	fakex "github.com/reinvent-cli/reinvent/internal/fake/x"
)

// pollingX is a fake X whose bot is reinventbot, reporting each accepted
// post on a channel.
func pollingX(t testing.TB) (*fakex.Server, chan fakex.Post) {
	t.Helper()
	fx, accepted := xWithSignal(t)
	fx.SetBot("reinventbot")
	return fx, accepted
}

// stopBot ends a bot with SIGTERM and checks that it drained and exited 0.
func stopBot(t testing.TB, b *botServer) {
	t.Helper()
	if err := b.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-b.done
	if err := b.cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v\n%s", err, b.stderr)
	}
}

// readsPast waits until the bot has read the timeline n more times, so
// that whatever those reads found is queued.
func readsPast(t testing.TB, fx *fakex.Server, n int) {
	t.Helper()
	want := fx.TimelineReads() + n
	if !fx.WaitTimelineReads(want, 30*time.Second) {
		t.Fatalf("the bot read the timeline %d times; waited for %d", fx.TimelineReads(), want)
	}
}

// chain returns the thread answering id: each post replies to the one
// before, the first to id.
func chain(fx *fakex.Server, id string) []fakex.Post {
	var out []fakex.Post
	for _, p := range fx.Posts() {
		if p.InReplyTo == id {
			out = append(out, p)
			id = p.ID
		}
	}
	return out
}

// repliesTo counts the posts replying to each id.
func repliesTo(fx *fakex.Server) map[string]int {
	n := map[string]int{}
	for _, p := range fx.Posts() {
		n[p.InReplyTo]++
	}
	return n
}

// TestBotPollsMentions runs serve-webhook --poll 1s an empty --addr (no
// listener): mentions on the timeline are answered with threads, and a
// restart answers those made while it was down, none twice.
func TestBotPollsMentions(t *testing.T) {
	db := t.TempDir() + "/reinvent.db"
	fx, accepted := pollingX(t)
	fx.TimelineLimit(3600) // room for a read a second
	old := fx.AddMention(fakex.Mention{AuthorID: "501", Username: "olga", Text: "@reinventbot SVS401",
		CreatedAt: time.Now().Add(-3 * time.Hour)})
	m1 := fx.AddMention(fakex.Mention{AuthorID: "502", Username: "alice", Text: "@reinventbot schedule svs401 arc302 please"})
	fx.AddMention(fakex.Mention{AuthorID: "503", Username: "rita", Text: "RT @alice: @reinventbot schedule svs401 arc302 please", Retweet: true, ReplyTo: m1})

	bot := startBot(t, db, fx.URL(), "--poll", "1s", "--addr", "")
	p := waitPost(t, accepted)
	if p.InReplyTo != m1 || !strings.HasPrefix(p.Text, "@alice 2 of 2 sessions scheduled:") {
		t.Fatalf("first reply %+v; want the answer to alice's %s", p, m1)
	}
	// Twelve codes: the answer is a thread of several posts.
	m2 := fx.AddMention(fakex.Mention{AuthorID: "504", Username: "bob",
		Text: "@ReInventBot DAT301 SVS401 ARC302 AIM321 AIM324 AIM330 AIM335 AIM337 ANT395 ANT398 ANT415 BIZ358"})
	if p := waitPost(t, accepted); p.InReplyTo != m2 || !strings.HasPrefix(p.Text, "@bob ") {
		t.Fatalf("second reply %+v; want the answer to bob's %s", p, m2)
	}
	stopBot(t, bot) // drains: the rest of bob's thread is posted
	thread := chain(fx, m2)
	if len(thread) < 2 || !strings.HasSuffix(thread[len(thread)-1].Text, fmt.Sprintf("%d/%d", len(thread), len(thread))) {
		t.Errorf("bob's answer: %d posts %+v; want a thread of several, each replying to the one before", len(thread), thread)
	}
	for len(accepted) > 0 {
		<-accepted
	}
	if !strings.Contains(bot.stderr.String(), `msg="first poll: older mentions are left unanswered" skipped=1`) {
		t.Errorf("the log does not say the old mention was skipped:\n%s", bot.stderr)
	}

	// Two mentions while the bot is down; the restart answers both.
	m3 := fx.AddMention(fakex.Mention{AuthorID: "505", Username: "carol", Text: "@reinventbot SVS401"})
	m4 := fx.AddMention(fakex.Mention{AuthorID: "506", Username: "dave", Text: "@reinventbot ARC302"})
	bot = startBot(t, db, fx.URL(), "--poll", "1s", "--addr", "")
	got := map[string]bool{}
	for range 2 {
		got[waitPost(t, accepted).InReplyTo] = true
	}
	if !got[m3] || !got[m4] {
		t.Errorf("after the restart the bot answered %v; want %s and %s", got, m3, m4)
	}
	readsPast(t, fx, 2)
	stopBot(t, bot)

	replies := repliesTo(fx)
	for _, id := range []string{m1, m2, m3, m4} {
		if replies[id] != 1 {
			t.Errorf("mention %s has %d replies, want 1", id, replies[id])
		}
	}
	if replies[old] != 0 || fx.Count() != 3+len(thread) {
		t.Errorf("posts %+v; want %d, none to the old mention or the retweet", fx.Posts(), 3+len(thread))
	}
	if strings.Contains(bot.stderr.String(), xCred.AccessTokenSecret) || strings.Contains(bot.stderr.String(), xCred.ConsumerSecret) {
		t.Error("the log holds a secret")
	}
}

// TestBotPollAndWebhookAnswerOnce: a mention both delivered to the webhook
// and read from the timeline is answered once.
func TestBotPollAndWebhookAnswerOnce(t *testing.T) {
	db := t.TempDir() + "/reinvent.db"
	fx, accepted := pollingX(t)
	fx.TimelineLimit(3600)
	bot := startBot(t, db, fx.URL(), "--poll", "1s")
	readsPast(t, fx, 1)
	id := fx.AddMention(fakex.Mention{AuthorID: "602", Username: "erin", Text: "@reinventbot SVS401"})
	if code := bot.deliver(t, id, "erin", "@reinventbot SVS401"); code != 200 {
		t.Fatalf("delivery answered %d", code)
	}
	if p := waitPost(t, accepted); p.InReplyTo != id {
		t.Fatalf("reply %+v", p)
	}
	readsPast(t, fx, 2) // the timeline has shown the mention by now
	stopBot(t, bot)
	if n := repliesTo(fx)[id]; n != 1 || fx.Count() != 1 {
		t.Errorf("%d replies to the mention and %d posts; want 1 and 1", n, fx.Count())
	}
}

// TestBotPollWaitsOutRateLimitsAndBadPages: a 429 on the timeline and a
// page that is not JSON delay the answers but drop none.
func TestBotPollWaitsOutRateLimitsAndBadPages(t *testing.T) {
	db := t.TempDir() + "/reinvent.db"
	fx, accepted := pollingX(t)
	fx.TimelineWindow(3 * time.Second)
	fx.TimelineLimit(2)
	fx.FailTimeline(fakex.Failure{Status: 200, Body: "<html><body>Over capacity</body></html>",
		Header: map[string][]string{"Content-Type": {"text/html"}}})
	m1 := fx.AddMention(fakex.Mention{AuthorID: "702", Username: "fay", Text: "@reinventbot SVS401"})
	bot := startBot(t, db, fx.URL(), "--poll", "1s", "--addr", "")
	if p := waitPost(t, accepted); p.InReplyTo != m1 {
		t.Fatalf("reply %+v; want the answer to %s after the bad page", p, m1)
	}
	m2 := fx.AddMention(fakex.Mention{AuthorID: "703", Username: "gus", Text: "@reinventbot ARC302"})
	if p := waitPost(t, accepted); p.InReplyTo != m2 {
		t.Fatalf("reply %+v; want the answer to %s after the rate limit", p, m2)
	}
	stopBot(t, bot)
	log := bot.stderr.String()
	for _, want := range []string{
		"could not read the mention timeline; trying again",
		"X rate-limits the mention timeline; the mentions wait, none is lost",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	if n := strings.Count(log, "the poll interval is shorter than X's rate limit allows"); n != 1 {
		t.Errorf("%d warnings about the interval, want 1:\n%s", n, log)
	}
	if fx.Count() != 2 {
		t.Errorf("%d posts, want 2", fx.Count())
	}
}

// TestBotPollRefusesAnotherAccount: credentials of another account than
// bot-handle stop the server at once, exit 2.
func TestBotPollRefusesAnotherAccount(t *testing.T) {
	fx, _ := xWithSignal(t)
	fx.SetBot("someoneelse")
	cmd := command(t, "serve-webhook", "--source", "sample", "--poll", "5s", "--addr", "")
	cmd.Env = append(cmd.Env, "REINVENT_DB="+t.TempDir()+"/reinvent.db", "REINVENT_X_API_URL="+fx.URL(), "REINVENT_BOT_HANDLE=reinventbot",
		"REINVENT_X_CONSUMER_KEY="+xCred.ConsumerKey, "REINVENT_X_CONSUMER_SECRET="+xCred.ConsumerSecret,
		"REINVENT_X_ACCESS_TOKEN="+xCred.AccessToken, "REINVENT_X_ACCESS_TOKEN_SECRET="+xCred.AccessTokenSecret)
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(string(out), `bot-handle is "reinventbot" but they sign in as @someoneelse`) {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestBotPollKilledAfterXAccepted kills a polling bot with SIGKILL after X
// accepted its reply and before the bot could record it. The restart reads
// on from the saved cursor, finds its reply was made (X says duplicate),
// answers the mention made while it was dead, and posts nothing twice.
func TestBotPollKilledAfterXAccepted(t *testing.T) {
	db := t.TempDir() + "/reinvent.db"
	fx := fakex.New(xCred)
	t.Cleanup(fx.Close)
	fx.SetBot("reinventbot")
	fx.TimelineLimit(3600)
	accepted := make(chan fakex.Post, 10)
	release := make(chan struct{})
	var later atomic.Bool
	fx.OnAccept = func(p fakex.Post) {
		accepted <- p
		if !later.Swap(true) { // the first reply's 201 never reaches the bot
			<-release
		}
	}
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
	})
	m1 := fx.AddMention(fakex.Mention{AuthorID: "901", Username: "jo", Text: "@reinventbot SVS401"})
	bot := startBot(t, db, fx.URL(), "--poll", "1s", "--addr", "")
	if p := waitPost(t, accepted); p.InReplyTo != m1 {
		t.Fatalf("reply %+v", p)
	}
	if err := bot.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-bot.done
	_ = bot.cmd.Wait()
	close(release)

	m2 := fx.AddMention(fakex.Mention{AuthorID: "902", Username: "kim", Text: "@reinventbot ARC302"})
	bot = startBot(t, db, fx.URL(), "--poll", "1s", "--addr", "")
	if p := waitPost(t, accepted); p.InReplyTo != m2 {
		t.Fatalf("after the restart: %+v; want the answer to %s", p, m2)
	}
	readsPast(t, fx, 2)
	stopBot(t, bot)
	if r := repliesTo(fx); r[m1] != 1 || r[m2] != 1 || fx.Count() != 2 {
		t.Errorf("replies %v, %d posts; want one each", r, fx.Count())
	}
	if fx.Requests() < 3 {
		t.Errorf("%d post requests; want the restarted bot to have tried m1's reply again and met X's duplicate", fx.Requests())
	}
}
