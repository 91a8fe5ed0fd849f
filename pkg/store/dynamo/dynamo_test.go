package dynamo_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reinvent-cli/reinvent/internal/dynamolocal"
	"github.com/reinvent-cli/reinvent/pkg/catalog"
	"github.com/reinvent-cli/reinvent/pkg/store"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo"
	"github.com/reinvent-cli/reinvent/pkg/store/storetest"
)

// table makes a table on a fresh local DynamoDB and returns how to open
// another copy of the store in it, each with its own client.
func table(t *testing.T) (url string, open func() *dynamo.Store) {
	t.Helper()
	url = dynamolocal.Start(t)
	ctx := context.Background()
	if err := dynamo.CreateTable(ctx, dynamolocal.Client(url), "reinvent"); err != nil {
		t.Fatal(err)
	}
	return url, func() *dynamo.Store {
		s, err := dynamo.OpenClient(ctx, dynamolocal.Client(url), "reinvent")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

// TestContract runs the store's behaviour suite on DynamoDB (minidyn's
// server through the real aws-sdk-go-v2 client): each copy is another
// client of one table, as another process would be.
//
// Every request the suite makes is one of the IAM actions the deployed
// role grants (dynamo.Actions).
func TestContract(t *testing.T) {
	reqs := &dynamolocal.Requests{}
	storetest.Run(t, func(t *testing.T) func() storetest.Copy {
		url, _ := table(t)
		return func() storetest.Copy {
			s, err := dynamo.OpenClient(context.Background(), dynamolocal.Counting(url, reqs), "reinvent")
			if err != nil {
				t.Fatal(err)
			}
			return storetest.Copy{Store: s, Cache: s.Catalogs()}
		}
	})
	if len(reqs.Ops()) < 5 {
		t.Fatalf("the suite's requests were not counted: %v", reqs.Ops())
	}
	for op := range reqs.Ops() {
		if !slices.Contains(dynamo.Actions, "dynamodb:"+op) {
			t.Errorf("the store sends %s, which dynamo.Actions (the deployed role) does not grant", op)
		}
	}
}

// TestMissingTable: opening a table that does not exist fails with one
// line that names the table and the template that creates it.
func TestMissingTable(t *testing.T) {
	url := dynamolocal.Start(t)
	_, err := dynamo.OpenClient(context.Background(), dynamolocal.Client(url), "nope")
	if !errors.Is(err, dynamo.ErrNoTable) || !strings.Contains(err.Error(), "nope") ||
		!strings.Contains(err.Error(), dynamo.Template) || strings.Contains(err.Error(), "\n") {
		t.Errorf("open a missing table = %v", err)
	}
}

// TestLockLeaseLapses: a lock whose holder stopped renewing it (a killed
// process) is taken over once its lease lapses, and not before; the
// holder's unlock then leaves the new holder's lock alone.
func TestLockLeaseLapses(t *testing.T) {
	_, open := table(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	a, b := open(), open()
	a.Now = func() time.Time { return now }
	a.LockLease = time.Hour // not renewed within the test
	unlockA, err := a.Lock("watch")
	if err != nil {
		t.Fatal(err)
	}
	b.Now = func() time.Time { return now.Add(59 * time.Minute) }
	if _, err := b.Lock("watch"); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("lock while the lease lasts = %v, want ErrLocked", err)
	}
	b.Now = func() time.Time { return now.Add(61 * time.Minute) }
	unlockB, err := b.Lock("watch")
	if err != nil {
		t.Fatalf("lock after the lease lapsed = %v", err)
	}
	if err := unlockA(); err != nil {
		t.Fatal(err)
	}
	c := open()
	c.Now = b.Now
	if _, err := c.Lock("watch"); !errors.Is(err, store.ErrLocked) {
		t.Errorf("the old holder's unlock freed the new holder's lock: %v", err)
	}
	if err := unlockB(); err != nil {
		t.Fatal(err)
	}
}

// TestRecordCutShort: a Record that dies after writing part of its run
// (its requests fail from the nth on) leaves nothing a reader sees: the
// heads, the pending posts and the changes are as before. The next Record
// of the same run records it whole, and its posts are pending once.
func TestRecordCutShort(t *testing.T) {
	url := dynamolocal.Start(t)
	ctx := context.Background()
	if err := dynamo.CreateTable(ctx, dynamolocal.Client(url), "reinvent"); err != nil {
		t.Fatal(err)
	}
	run := func(title string) store.Run {
		var r store.Run
		r.Event, r.At = "e", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		for i := range 60 {
			code := fmt.Sprintf("S%02d", i)
			r.Sessions = append(r.Sessions, catalog.Session{Code: code, Title: title})
			r.Changes = append(r.Changes, store.Change{Code: code, Kind: store.KindNew, Post: "NEW " + code + " " + title})
		}
		return r
	}
	for _, after := range []int{6, 14, 17} {
		// A client whose requests fail from the after-th on, as if the
		// process died there.
		cut, err := dynamo.OpenClient(ctx, dynamolocal.CutAfter(url, after), "reinvent")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cut.Record(ctx, run("cut")); err == nil {
			t.Fatalf("a Record cut after %d requests succeeded", after)
		}
		s, err := dynamo.OpenClient(ctx, dynamolocal.Client(url), "reinvent")
		if err != nil {
			t.Fatal(err)
		}
		h, err := s.Heads(ctx, "e")
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.Pending(ctx, "e")
		if err != nil {
			t.Fatal(err)
		}
		cs, err := s.Changes(ctx, "e", 0)
		if err != nil {
			t.Fatal(err)
		}
		if h.Len() != 0 || len(p) != 0 || len(cs) != 0 {
			t.Fatalf("after a Record cut after %d requests: %d heads, %d pending, %d changes; want none", after, h.Len(), len(p), len(cs))
		}
	}
	s, _ := dynamo.OpenClient(ctx, dynamolocal.Client(url), "reinvent")
	if _, err := s.Record(ctx, run("whole")); err != nil {
		t.Fatal(err)
	}
	p, err := s.Pending(ctx, "e")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := s.Heads(ctx, "e")
	vs, _ := s.Versions(ctx, "e", "S00")
	if len(p) != 60 || h.Len() != 60 || h.Seq("S59") != 1 || len(vs) != 1 || vs[0].Session.Title != "whole" {
		t.Errorf("the whole run: %d pending, %d heads, versions of S00 %+v", len(p), h.Len(), vs)
	}
	for _, o := range p {
		if !strings.HasSuffix(o.Text, " whole") {
			t.Errorf("pending post %q is of the run that was cut short", o.Text)
		}
	}
}
