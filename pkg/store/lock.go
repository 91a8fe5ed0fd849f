package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gofrs/flock"
)

// ErrLocked is wrapped by the error of Lock when another process (or
// another Store in this one) holds the lock.
var ErrLocked = errors.New("store is locked")

// lockedError names the command that holds a run lock.
type lockedError struct{ name, path string }

func (e *lockedError) Error() string {
	return fmt.Sprintf("another reinvent %s is running on %s", e.name, e.path)
}

func (e *lockedError) Is(target error) bool { return target == ErrLocked }

// Lock takes the run lock name (such as "watch") of the store without
// waiting: an exclusive flock(2) on the file "<db path>.<name>.lock". It
// returns an error wrapping ErrLocked when another holder has it. The lock
// is released by unlock, or by the OS when the process dies, so a killed
// run leaves no stale lock behind. The lock file itself is kept.
func (s *Store) Lock(name string) (unlock func() error, err error) {
	return s.lock(name, func(f *flock.Flock) (bool, error) { return f.TryLock() })
}

// LockShared takes the run lock name shared with other holders of it
// shared (a flock(2) LOCK_SH on "<db path>.<name>.lock"), waiting while one
// holds it exclusively with Lock: runs that may go on side by side hold it
// shared, and one that must be alone for a moment (to settle what others
// left) takes it with Lock first. It gives up when ctx ends.
func (s *Store) LockShared(ctx context.Context, name string) (unlock func() error, err error) {
	return s.lock(name, func(f *flock.Flock) (bool, error) { return f.TryRLockContext(ctx, 20*time.Millisecond) })
}

// lock takes the run lock name with try, and returns its unlock.
func (s *Store) lock(name string, try func(*flock.Flock) (bool, error)) (unlock func() error, err error) {
	f := flock.New(s.path+"."+name+".lock", flock.SetPermissions(0o600))
	ok, err := try(f)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", f.Path(), err)
	}
	if !ok {
		return nil, &lockedError{name: name, path: s.path}
	}
	return func() error {
		if err := f.Unlock(); err != nil {
			return fmt.Errorf("unlock %s: %w", f.Path(), err)
		}
		return nil
	}, nil
}
