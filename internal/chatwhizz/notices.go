package chatwhizz

import (
	"context"
	"sync/atomic"
)

// Notices collects what the calls made with one context have to tell the
// user besides their results. The caller that owns the context reads it once
// its calls are done; the client writes it from the renewal that a call
// started, which may run on another goroutine.
type Notices struct {
	pairRetired atomic.Bool
}

type noticesKey struct{}

// WithNotices returns a context whose calls report to the returned Notices.
func WithNotices(ctx context.Context) (context.Context, *Notices) {
	n := &Notices{}
	return context.WithValue(ctx, noticesKey{}, n), n
}

// PairRetired reports whether a call made with the context regenerated the
// configured token pair, with no password to log in with: the API retired
// that pair at once, so every later process that starts from it fails to
// authenticate. Only one call of a process ever reports it.
func (n *Notices) PairRetired() bool { return n.pairRetired.Load() }

// noticePairRetired tells the caller that owns ctx, if it listens, that the
// configured pair was retired.
func noticePairRetired(ctx context.Context) {
	if n, ok := ctx.Value(noticesKey{}).(*Notices); ok {
		n.pairRetired.Store(true)
	}
}
