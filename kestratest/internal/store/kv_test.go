package store_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/kestratest/internal/domain"
	"github.com/kestra-go/kestra-go/kestratest/internal/store"
)

func TestKVPutKeepsCreationAndCountsRevisions(t *testing.T) {
	var kv store.KV
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	kv.Put(store.KVEntry{Namespace: "a", Key: "k", Value: []byte(`1`), Created: t0, Updated: t0})
	t1 := t0.Add(time.Hour)
	e := kv.Put(store.KVEntry{Namespace: "a", Key: "k", Value: []byte(`2`), Created: t1, Updated: t1})
	if e.Revision != 2 || !e.Created.Equal(t0) || !e.Updated.Equal(t1) {
		t.Fatalf("%+v", e)
	}
	got, err := kv.Get("a", "k", t1)
	if err != nil || string(got.Value) != "2" {
		t.Fatalf("%+v %v", got, err)
	}
}

func TestKVGetMissingAndExpired(t *testing.T) {
	var kv store.KV
	now := time.Now()
	past := now.Add(-time.Second)
	kv.Put(store.KVEntry{Namespace: "a", Key: "old", Expires: &past})
	if _, err := kv.Get("a", "nope", now); !errors.Is(err, domain.ErrNotFound) || err.Error() != "not found: No value found for key 'nope' in namespace 'a'" {
		t.Errorf("missing: %v", err)
	}
	if _, err := kv.Get("a", "old", now); !errors.Is(err, domain.ErrExpired) {
		t.Errorf("expired: %v", err)
	}
	if live := kv.Live(now, nil); len(live) != 0 {
		t.Errorf("expired listed: %+v", live)
	}
}

func TestKVLiveOrderAndFilterDelete(t *testing.T) {
	var kv store.KV
	for _, nk := range [][2]string{{"b", "x"}, {"a.b", "z"}, {"a", "y"}, {"a", "b"}} {
		kv.Put(store.KVEntry{Namespace: nk[0], Key: nk[1]})
	}
	var keys []string
	for _, e := range kv.Live(time.Now(), func(ns string) bool { return ns != "b" }) {
		keys = append(keys, e.Namespace+"/"+e.Key)
	}
	if !slices.Equal(keys, []string{"a/b", "a/y", "a.b/z"}) {
		t.Fatalf("%v", keys)
	}
	if d := kv.Delete("a", "y", "nope", "b"); !slices.Equal(d, []string{"y", "b"}) {
		t.Fatalf("deleted %v", d)
	}
	ns := kv.Namespaces()
	slices.Sort(ns)
	if !slices.Equal(ns, []string{"a", "a.b", "b"}) {
		t.Fatalf("namespaces %v", ns)
	}
}

// Concurrent writers of one key lose no revision (run with -race).
func TestKVConcurrentPuts(t *testing.T) {
	var kv store.KV
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			kv.Put(store.KVEntry{Namespace: "a", Key: "k", Value: []byte(fmt.Sprint(i))})
		}()
	}
	wg.Wait()
	if e, err := kv.Get("a", "k", time.Now()); err != nil || e.Revision != 50 {
		t.Fatalf("%+v %v", e, err)
	}
}

func ExampleKV() {
	var kv store.KV
	kv.Put(store.KVEntry{Namespace: "company", Key: "region", Value: []byte(`"eu"`)})
	e, _ := kv.Get("company", "region", time.Now())
	_, err := kv.Get("company", "missing", time.Now())
	fmt.Println(string(e.Value), e.Revision, errors.Is(err, domain.ErrNotFound))
	// Output: "eu" 1 true
}
