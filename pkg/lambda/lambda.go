// Package lambda runs reinvent as an AWS Lambda function: the runtime loop
// of aws-lambda-go and the three handlers the function's _HANDLER picks
// (webhook, worker, schedule), each one call into pkg/webhook or pkg/watch
// (docs/serverless.md, "The function").
package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/schedule"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/webhook"
	"github.com/reinvent-cli/reinvent/pkg/x"
)

// The handlers a function's _HANDLER names.
const (
	Webhook  = "webhook"
	Worker   = "worker"
	Schedule = "schedule"
)

// Handlers lists the handler names, in the order the docs give them.
var Handlers = []string{Webhook, Worker, Schedule}

// RuntimeAPIEnv is the variable Lambda sets to the runtime API's host and
// port; aws-lambda-go reads it.
const RuntimeAPIEnv = "AWS_LAMBDA_RUNTIME_API"

// DefaultMargin is how long before an invocation's deadline the worker
// stops taking mentions, so that the invocation still answers in time.
const DefaultMargin = 2 * time.Second

// Deps are what the function works with.
type Deps struct {
	// Store holds the queue of mentions, the poller's cursor and the
	// shared post hold; the caller opens it and closes it.
	Store store.Bot
	// KeepCatalog hands set the catalog, and a fresh one whenever it is
	// old, until ctx ends; wait returns once it has stopped. The worker
	// needs it.
	KeepCatalog func(ctx context.Context, set func(*catalog.Catalog)) (wait func(), err error)
	// Poster posts the replies (an *x.Client).
	Poster webhook.Poster
	// Timeline reads the mention timeline; the schedule handler polls it
	// with Options.Poll.
	Timeline webhook.Timeline
	// Watch runs watch --tweet once, with its outbox; the schedule
	// handler calls it with Options.Watch.
	Watch func(ctx context.Context) error
	// Logger takes every log line: JSON on stdout, for CloudWatch.
	Logger *slog.Logger
	Now    func() time.Time
}

// Options say what the function serves.
type Options struct {
	// Handler is webhook, worker or schedule.
	Handler string
	// Path is the webhook's URL path, as serve-webhook's --path.
	Path string
	// BotHandle, ConsumerSecret and ClientSecret are serve-webhook's.
	BotHandle                    string
	ConsumerSecret, ClientSecret string
	// UserLimit is the answers per user an hour; 0 is no limit.
	UserLimit int
	// Workers is how many mentions a worker invocation answers at once;
	// 0 means 1.
	Workers int
	// Plan says how the codes of a mention are scheduled.
	Plan schedule.Options
	// Watch and Poll say what the schedule handler does on each event:
	// one run of watch --tweet, one read of the mention timeline, or both.
	Watch, Poll bool
	// Margin is how long before the deadline the worker stops; 0 means
	// DefaultMargin.
	Margin time.Duration
}

// Check says what is wrong with o, in the words of reinvent lambda's
// settings, or returns nil.
func (o Options) Check() error {
	switch {
	case o.Handler == "":
		return fmt.Errorf("no handler: set _HANDLER (or --handler) to one of %s", strings.Join(Handlers, ", "))
	case !isHandler(o.Handler):
		return fmt.Errorf("unknown handler %q: use one of %s", o.Handler, strings.Join(Handlers, ", "))
	case o.Handler == Webhook && !strings.HasPrefix(o.Path, "/"):
		return fmt.Errorf("--path %q must start with /", o.Path)
	case o.Handler == Schedule && !o.Watch && !o.Poll:
		return errors.New("the schedule handler has nothing to do: set watch (REINVENT_WATCH=true), poll-mentions (REINVENT_POLL_MENTIONS=true), or both")
	case o.UserLimit < 0:
		return errors.New("--user-limit must not be negative")
	case o.Workers < 0:
		return errors.New("--workers must not be negative")
	case strings.HasPrefix(o.BotHandle, "@"):
		return fmt.Errorf("bot-handle %q: give the handle without the @", o.BotHandle)
	}
	return nil
}

// Missing names the settings the handler lacks, given X's credentials
// cred: the webhook checks signatures with the consumer secret; the worker
// and the schedule handler post or read X with all four.
func (o Options) Missing(cred x.Credentials) []string {
	var missing []string
	if needsHandle := o.Handler != Schedule || o.Poll; needsHandle && o.BotHandle == "" {
		missing = append(missing, "bot-handle")
	}
	if o.Handler == Webhook {
		if cred.ConsumerSecret == "" {
			missing = append(missing, "x-consumer-secret")
		}
		return missing
	}
	return append(missing, cred.Missing()...)
}

func isHandler(name string) bool {
	for _, h := range Handlers {
		if h == name {
			return true
		}
	}
	return false
}

// Function serves the invocations of one handler; it is an
// aws-lambda-go Handler.
type Function struct {
	d       Deps
	o       Options
	worker  *webhook.Worker
	webhook *httpHandler

	cat      atomic.Pointer[catalog.Catalog]
	catReady chan struct{}
	readyOne sync.Once
	stop     context.CancelFunc
	wait     func()
}

// knownBot reads the bot's account once for the life of the process, not
// on every scheduled poll: X bills each read (docs/serverless.md, "What it
// costs per 1,000 mentions").
type knownBot struct {
	webhook.Timeline
	mu sync.Mutex
	me *x.User
}

// Me is the account read first, read again only after a failed read.
func (k *knownBot) Me(ctx context.Context) (x.User, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.me != nil {
		return *k.me, nil
	}
	me, err := k.Timeline.Me(ctx)
	if err == nil {
		k.me = &me
	}
	return me, err
}

// New prepares the function's handler. The worker starts keeping the
// catalog until Close. It does not talk to the runtime API.
func New(ctx context.Context, d Deps, o Options) (*Function, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if o.Margin <= 0 {
		o.Margin = DefaultMargin
	}
	if d.Timeline != nil {
		d.Timeline = &knownBot{Timeline: d.Timeline}
	}
	f := &Function{d: d, o: o, catReady: make(chan struct{})}
	f.worker = &webhook.Worker{
		Store: d.Store, Poster: d.Poster, Catalog: f.cat.Load, Plan: o.Plan,
		BotHandle: o.BotHandle, UserLimit: o.UserLimit, Logger: d.Logger, Now: d.Now,
	}
	switch o.Handler {
	case Webhook:
		f.webhook = newHTTPHandler(o, f.worker.Enqueue, d.Logger)
	case Worker:
		keep, stop := context.WithCancel(context.WithoutCancel(ctx))
		wait, err := d.KeepCatalog(keep, func(cat *catalog.Catalog) {
			f.cat.Store(cat)
			f.readyOne.Do(func() { close(f.catReady) })
			f.worker.Wake()
		})
		if err != nil {
			stop()
			return nil, err
		}
		f.stop, f.wait = stop, wait
	}
	return f, nil
}

// Close stops keeping the catalog; call it before closing the store.
func (f *Function) Close() {
	if f.stop != nil {
		f.stop()
		f.wait()
	}
}

// Invoke serves one invocation: the event is the handler's (a function URL
// or HTTP API request for webhook, a DynamoDB stream batch or a scheduler
// event for worker, a scheduler event for schedule). It logs one JSON line
// with the request id, the handler, the outcome and the duration. An error
// is what Lambda should retry: the store could not be reached, or the
// catalog did not arrive in time.
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	start := time.Now()
	var out outcome
	var err error
	switch f.o.Handler {
	case Webhook:
		out, err = f.serveHTTP(ctx, payload)
	case Worker:
		out, err = f.work(ctx, payload)
	case Schedule:
		out, err = f.tick(ctx, payload)
	}
	attrs := []any{"request_id", requestID(ctx), "handler", f.o.Handler, "outcome", out.Outcome,
		"duration_ms", time.Since(start).Milliseconds()}
	attrs = append(attrs, out.attrs...)
	if err != nil {
		f.d.Logger.Error("invocation", append(attrs, "err", err)...)
		return nil, err
	}
	f.d.Logger.Info("invocation", attrs...)
	if out.Response != nil {
		return out.Response, nil
	}
	return json.Marshal(out)
}

// outcome is what an invocation did: its answer to Lambda, and what its
// log line says.
type outcome struct {
	Handler  string `json:"handler"`
	Outcome  string `json:"outcome"`
	Response []byte `json:"-"` // the whole answer, for the webhook
	attrs    []any
}

func requestID(ctx context.Context) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return ""
}

// Run serves the invocations of o.Handler through the Lambda runtime
// loop of aws-lambda-go until ctx ends, then returns nil. It returns an
// error when it cannot start: not under Lambda (no AWS_LAMBDA_RUNTIME_API),
// bad options, or no catalog to keep. When the runtime API itself fails,
// aws-lambda-go ends the process with exit 1, as Lambda expects of a
// runtime: it starts a new one.
func Run(ctx context.Context, d Deps, o Options) error {
	if os.Getenv(RuntimeAPIEnv) == "" {
		return fmt.Errorf("%s is not set: reinvent lambda runs inside AWS Lambda, or under a runtime API emulator that sets it", RuntimeAPIEnv)
	}
	f, err := New(ctx, d, o)
	if err != nil {
		return err
	}
	defer f.Close()
	go awslambda.StartWithOptions(f, awslambda.WithContext(ctx))
	<-ctx.Done()
	return nil
}
