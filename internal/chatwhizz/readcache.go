package chatwhizz

import (
	"context"
	"sync"

	"golang.org/x/sync/singleflight"
)

// readCache shares reads of one kind of object within one short-lived
// process: concurrent reads of one object become one call, and later reads
// reuse its answer. Every write through the client drops or replaces the
// entry it touches, so the client never serves its own stale data. A nil
// readCache reads through.
type readCache[T any] struct {
	group singleflight.Group

	mu      sync.Mutex
	entries map[string]T
	// epoch counts writes: a read that raced with a write does not store its
	// possibly older answer.
	epoch uint64
}

func newReadCache[T any]() *readCache[T] { return &readCache[T]{entries: map[string]T{}} }

// get returns the remembered value for key, or fetches it once for all
// concurrent callers.
func (rc *readCache[T]) get(ctx context.Context, key string, fetch func(context.Context) (T, error)) (T, error) {
	if rc == nil {
		return fetch(ctx)
	}
	rc.mu.Lock()
	if v, ok := rc.entries[key]; ok {
		rc.mu.Unlock()
		return v, nil
	}
	epoch := rc.epoch
	rc.mu.Unlock()

	shared, err, _ := rc.group.Do(key, func() (any, error) {
		v, err := fetch(ctx)
		if err != nil {
			return v, err
		}
		rc.mu.Lock()
		if rc.epoch == epoch {
			rc.entries[key] = v
		}
		rc.mu.Unlock()
		return v, nil
	})
	v, _ := shared.(T) // always a T: the function above returns nothing else
	return v, err
}

// store records what a write returned (the freshest value there is).
func (rc *readCache[T]) store(key string, v T) {
	if rc == nil {
		return
	}
	rc.mu.Lock()
	rc.epoch++
	rc.entries[key] = v
	rc.mu.Unlock()
}

// forget drops an entry after a write whose answer does not carry the
// complete object.
func (rc *readCache[T]) forget(key string) {
	if rc == nil {
		return
	}
	rc.mu.Lock()
	rc.epoch++
	delete(rc.entries, key)
	rc.mu.Unlock()
}
