package chatwhizz

import (
	"context"
	"sync"

	"golang.org/x/sync/singleflight"
)

// readCache shares reads of domains and operators within one short-lived
// process: concurrent reads of one object become one call, and later reads
// reuse its answer. Every write through the client drops or replaces the
// entry it touches, so the client never serves its own stale data.
type readCache struct {
	group singleflight.Group

	mu      sync.Mutex
	entries map[string]any
	// epoch counts writes: a read that raced with a write does not store its
	// possibly older answer.
	epoch uint64
}

func newReadCache() *readCache { return &readCache{entries: map[string]any{}} }

// cachedRead returns the remembered value for key, or fetches it once for all
// concurrent callers.
func cachedRead[T any](ctx context.Context, rc *readCache, key string, fetch func(context.Context) (T, error)) (T, error) {
	if rc == nil {
		return fetch(ctx)
	}
	rc.mu.Lock()
	if v, ok := rc.entries[key]; ok {
		rc.mu.Unlock()
		return v.(T), nil
	}
	epoch := rc.epoch
	rc.mu.Unlock()

	v, err, _ := rc.group.Do(key, func() (any, error) {
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
	return v.(T), err
}

// store records what a write returned (the freshest value there is).
func (rc *readCache) store(key string, v any) {
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
func (rc *readCache) forget(keys ...string) {
	if rc == nil {
		return
	}
	rc.mu.Lock()
	rc.epoch++
	for _, k := range keys {
		delete(rc.entries, k)
	}
	rc.mu.Unlock()
}
