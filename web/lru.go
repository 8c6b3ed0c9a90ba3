package web

import (
	"container/list"
	"sync"
)

// versionedLRU is a cost-bounded LRU of values computed for one data
// version; a newer version empties it, so nothing stale is ever served.
type versionedLRU[V any] struct {
	mu      sync.Mutex
	limit   int
	cost    func(key string, v V) int
	version int64
	used    int
	order   *list.List // front: most recently used
	entries map[string]*list.Element
}

type lruItem[V any] struct {
	key string
	val V
}

func newVersionedLRU[V any](limit int, cost func(string, V) int) *versionedLRU[V] {
	return &versionedLRU[V]{limit: limit, cost: cost, order: list.New(), entries: map[string]*list.Element{}}
}

func (p *versionedLRU[V]) get(version int64, key string) (V, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var zero V
	if version != p.version {
		return zero, false
	}
	el, ok := p.entries[key]
	if !ok {
		return zero, false
	}
	p.order.MoveToFront(el)
	return el.Value.(*lruItem[V]).val, true
}

func (p *versionedLRU[V]) put(version int64, key string, v V) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if version < p.version {
		return
	}
	if version > p.version {
		p.version, p.used = version, 0
		p.order.Init()
		clear(p.entries)
	}
	if _, ok := p.entries[key]; ok {
		return
	}
	p.entries[key] = p.order.PushFront(&lruItem[V]{key: key, val: v})
	p.used += p.cost(key, v)
	for p.used > p.limit && p.order.Len() > 0 {
		old := p.order.Remove(p.order.Back()).(*lruItem[V])
		delete(p.entries, old.key)
		p.used -= p.cost(old.key, old.val)
	}
}
