package dyvms

import (
	"hash/maphash"
	"time"
)

// keyTable is a hash table of ReceiptKeys with open addressing, linear
// probing and backward-shift deletion: with no tombstones, a table that
// churns through keys at a steady size never allocates, and its size is
// bounded by the most keys it held at once. Slots come from a keyed hash
// with a per-table random seed, so pushes crafted to collide cannot build
// long probe chains.
type keyTable[V comparable] struct {
	seed   maphash.Seed
	hashes []uint64 // per slot, 0 when empty; probes scan these, densely packed
	slots  []keySlot[V]
	used   int
	grown  time.Time // when the table last grew
}

type keySlot[V comparable] struct {
	key ReceiptKey
	val V
}

// minKeySlots is the smallest table. A table that empties keeps up to
// keepKeySlots slots, enough for a full push of small receipts; a larger
// one is dropped when it empties after keepIdle without growing, so a
// receiver under repeated bursts keeps its table and one past a burst does
// not hold its peak for ever.
const (
	minKeySlots  = 64
	keepKeySlots = 1 << 17
	keepIdle     = time.Minute
)

func (t *keyTable[V]) hashOf(k *ReceiptKey) uint64 {
	return maphash.Bytes(t.seed, k[:]) | 1<<63 // never 0; the low bits pick the slot
}

// find returns k's slot, or the empty slot where it would go.
func (t *keyTable[V]) find(k *ReceiptKey, h uint64) (int, bool) {
	mask := len(t.hashes) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		switch t.hashes[i] {
		case 0:
			return i, false
		case h:
			if t.slots[i].key == *k {
				return i, true
			}
		}
	}
}

// get returns k's value.
func (t *keyTable[V]) get(k ReceiptKey) (V, bool) {
	if t.used == 0 {
		var zero V
		return zero, false
	}
	i, ok := t.find(&k, t.hashOf(&k))
	return t.slots[i].val, ok
}

// set stores v under k.
func (t *keyTable[V]) set(k ReceiptKey, v V) {
	i, _ := t.slot(k)
	t.slots[i].val = v
}

// getOrSet returns k's value and true if k is in the table, else stores v
// under k and returns v and false: one probe for both.
func (t *keyTable[V]) getOrSet(k ReceiptKey, v V) (V, bool) {
	i, found := t.slot(k)
	if !found {
		t.slots[i].val = v
	}
	return t.slots[i].val, found
}

// slot returns k's slot, adding k (with a zero value) if it is missing.
func (t *keyTable[V]) slot(k ReceiptKey) (int, bool) {
	if (t.used+1)*16 > len(t.hashes)*13 {
		t.resize(max(2*len(t.hashes), minKeySlots))
	}
	h := t.hashOf(&k)
	i, ok := t.find(&k, h)
	if !ok {
		t.used++
		t.hashes[i], t.slots[i].key = h, k
	}
	return i, ok
}

// delIf removes k if its value is v, shifting back the entries probed
// past its slot.
func (t *keyTable[V]) delIf(k ReceiptKey, v V) {
	if t.used == 0 {
		return
	}
	i, ok := t.find(&k, t.hashOf(&k))
	if !ok || t.slots[i].val != v {
		return
	}
	mask := len(t.hashes) - 1
	for j := (i + 1) & mask; t.hashes[j] != 0; j = (j + 1) & mask {
		// The entry at j may fill the hole at i unless its home slot lies
		// in the cyclic range (i, j].
		if (j-int(t.hashes[j]))&mask >= (j-i)&mask {
			t.hashes[i], t.slots[i] = t.hashes[j], t.slots[j]
			i = j
		}
	}
	t.hashes[i], t.slots[i] = 0, keySlot[V]{}
	if t.used--; t.used == 0 && len(t.hashes) > keepKeySlots && time.Since(t.grown) > keepIdle {
		t.hashes, t.slots = nil, nil
	}
}

// resize rehashes into n slots (a power of two).
func (t *keyTable[V]) resize(n int) {
	oldHashes, oldSlots := t.hashes, t.slots
	if oldHashes == nil {
		t.seed = maphash.MakeSeed()
	}
	t.hashes, t.slots = make([]uint64, n), make([]keySlot[V], n)
	t.grown = time.Now()
	mask := n - 1
	for j, h := range oldHashes {
		if h == 0 {
			continue
		}
		i := int(h) & mask
		for t.hashes[i] != 0 {
			i = (i + 1) & mask
		}
		t.hashes[i], t.slots[i] = h, oldSlots[j]
	}
}
