// Package store holds kestratest's tenant data as plain Go values behind
// their own locks, with no HTTP: today the KV store (more of the tenant
// store moves here in later steps). Misses and refusals are domain errors
// (kestratest/internal/domain), answered by the HTTP layer.
package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kestra-go/kestra-go/kestratest/internal/domain"
)

// KVEntry is one key of a namespace's KV store.
type KVEntry struct {
	Namespace, Key string
	Value          json.RawMessage // the value as JSON
	Type           string          // the server's KVType (STRING, NUMBER, JSON...)
	Description    string
	Created        time.Time
	Updated        time.Time
	Expires        *time.Time // nil: no ttl
	Revision       int        // 1 on creation, +1 on each write
}

// Expired reports whether the entry's ttl has passed at now.
func (e KVEntry) Expired(now time.Time) bool { return e.Expires != nil && now.After(*e.Expires) }

// KV is a tenant's KV store, safe for concurrent use. The zero value is
// ready to use.
type KV struct {
	mu sync.Mutex
	m  map[string]map[string]KVEntry // namespace -> key -> entry
}

// Put stores e; over an existing key it keeps the creation date and
// counts one more revision. It returns the stored entry.
func (s *KV) Put(e KVEntry) KVEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]map[string]KVEntry{}
	}
	ns := s.m[e.Namespace]
	if ns == nil {
		ns = map[string]KVEntry{}
		s.m[e.Namespace] = ns
	}
	e.Revision = 1
	if old, ok := ns[e.Key]; ok {
		e.Created = old.Created
		e.Revision = old.Revision + 1
	}
	ns[e.Key] = e
	return e
}

// Get returns a live entry: domain.ErrNotFound for a missing key,
// domain.ErrExpired for one whose ttl passed at now, with the server's
// messages.
func (s *KV) Get(namespace, key string, now time.Time) (KVEntry, error) {
	s.mu.Lock()
	e, ok := s.m[namespace][key]
	s.mu.Unlock()
	if !ok {
		return KVEntry{}, domain.NotFound(fmt.Sprintf("No value found for key '%s' in namespace '%s'", key, namespace))
	}
	if e.Expired(now) {
		return KVEntry{}, domain.Expired(fmt.Sprintf("The requested value has expired (key '%s' in namespace '%s')", key, namespace))
	}
	return e, nil
}

// Delete removes keys of a namespace and returns those that existed, in
// the order given.
func (s *KV) Delete(namespace string, keys ...string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	deleted := []string{}
	for _, k := range keys {
		if _, ok := s.m[namespace][k]; ok {
			delete(s.m[namespace], k)
			deleted = append(deleted, k)
		}
	}
	return deleted
}

// Live returns the entries not expired at now of the namespaces in
// (nil: all), ordered by namespace then key.
func (s *KV) Live(now time.Time, in func(namespace string) bool) []KVEntry {
	s.mu.Lock()
	var out []KVEntry
	for ns, m := range s.m {
		if in != nil && !in(ns) {
			continue
		}
		for _, e := range m {
			if !e.Expired(now) {
				out = append(out, e)
			}
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b KVEntry) int {
		if c := strings.Compare(a.Namespace, b.Namespace); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

// Namespaces returns the namespaces that have (or had) keys.
func (s *KV) Namespaces() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.m))
	for ns := range s.m {
		out = append(out, ns)
	}
	return out
}
