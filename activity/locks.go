package activity

import (
	"context"
	"sync"
)

// queueLocks serialises sign-ups to the same queue inside one process, so
// they wait in Go instead of polling the database lease. The lease still
// serialises across processes.
type queueLocks struct {
	mu sync.Mutex
	m  map[string]*queueLock
}

type queueLock struct {
	sem  chan struct{}
	refs int
}

// lock waits for the queue's turn (or ctx) and returns the release func.
func (q *queueLocks) lock(ctx context.Context, key string) (func(), error) {
	q.mu.Lock()
	if q.m == nil {
		q.m = map[string]*queueLock{}
	}
	l := q.m[key]
	if l == nil {
		l = &queueLock{sem: make(chan struct{}, 1)}
		q.m[key] = l
	}
	l.refs++
	q.mu.Unlock()

	forget := func() {
		q.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(q.m, key)
		}
		q.mu.Unlock()
	}
	select {
	case l.sem <- struct{}{}:
		return func() { <-l.sem; forget() }, nil
	case <-ctx.Done():
		forget()
		return nil, ctx.Err()
	}
}
