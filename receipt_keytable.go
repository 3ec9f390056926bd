package dyvms

import (
	"hash/maphash"
	"math/bits"
	"time"
)

// keyTable is a hash table of ReceiptKeys with open addressing, linear
// probing and backward-shift deletion: with no tombstones, a table that
// churns through keys at a steady size never allocates, and its size is
// bounded by the most keys it held at once. Slots come from a keyed hash
// with a per-table random seed, so pushes crafted to collide cannot build
// long probe chains. A key's home slot is given by the top bits of its
// hash, so doubling the table moves each entry from slot i to about 2i.
//
// The table keeps each key itself, or, when keyOf is set, only its hash
// and value, keyOf giving the key a value stands for (kept by whoever
// owns the value): 16 bytes a slot instead of 48, for a table that holds
// the keys of every push being delivered.
type keyTable[V comparable] struct {
	seed   maphash.Seed
	hashes []uint64     // per slot, 0 when empty; probes scan these, densely packed
	keys   []ReceiptKey // per slot; nil when keyOf is set
	vals   []V
	keyOf  func(V) *ReceiptKey
	shift  uint8 // 64 - log2(len(hashes)): home(h) is h >> shift
	used   int
	grown  time.Time // when the table last grew
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
	return maphash.Bytes(t.seed, k[:]) | 1 // never 0; the top bits pick the slot
}

// home returns the slot where the key of hash h belongs.
func (t *keyTable[V]) home(h uint64) int { return int(h >> t.shift) }

// keyAt returns the key in slot i.
func (t *keyTable[V]) keyAt(i int) *ReceiptKey {
	if t.keyOf != nil {
		return t.keyOf(t.vals[i])
	}
	return &t.keys[i]
}

// find returns k's slot, or the empty slot where it would go.
func (t *keyTable[V]) find(k *ReceiptKey, h uint64) (int, bool) {
	mask := len(t.hashes) - 1
	for i := t.home(h); ; i = (i + 1) & mask {
		switch t.hashes[i] {
		case 0:
			return i, false
		case h:
			if *t.keyAt(i) == *k {
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
	return t.vals[i], ok
}

// set stores v under k.
func (t *keyTable[V]) set(k ReceiptKey, v V) {
	i, _ := t.slot(k, v)
	t.vals[i] = v
}

// getOrSet returns k's value and true if k is in the table, else stores v
// under k and returns v and false: one probe for both.
func (t *keyTable[V]) getOrSet(k ReceiptKey, v V) (V, bool) {
	i, found := t.slot(k, v)
	return t.vals[i], found
}

// slot returns k's slot, adding k with the value v if it is missing.
func (t *keyTable[V]) slot(k ReceiptKey, v V) (int, bool) {
	if (t.used+1)*16 > len(t.hashes)*13 {
		t.resize(max(2*len(t.hashes), minKeySlots))
	}
	h := t.hashOf(&k)
	i, ok := t.find(&k, h)
	if !ok {
		t.used++
		t.hashes[i], t.vals[i] = h, v
		if t.keys != nil {
			t.keys[i] = k
		}
	}
	return i, ok
}

// reserve grows the table, if need be, so that n more keys fit without
// growing it again.
func (t *keyTable[V]) reserve(n int) {
	size := max(len(t.hashes), minKeySlots)
	for (t.used+n+1)*16 > size*13 {
		size *= 2
	}
	if size != len(t.hashes) {
		t.resize(size)
	}
}

// delIf removes k if its value is v, shifting back the entries probed
// past its slot.
func (t *keyTable[V]) delIf(k ReceiptKey, v V) {
	if t.used == 0 {
		return
	}
	i, ok := t.find(&k, t.hashOf(&k))
	if !ok || t.vals[i] != v {
		return
	}
	mask := len(t.hashes) - 1
	for j := (i + 1) & mask; t.hashes[j] != 0; j = (j + 1) & mask {
		// The entry at j may fill the hole at i unless its home slot lies
		// in the cyclic range (i, j].
		if (j-t.home(t.hashes[j]))&mask >= (j-i)&mask {
			t.move(i, j)
			i = j
		}
	}
	var zero V
	t.hashes[i], t.vals[i] = 0, zero
	if t.used--; t.used == 0 && len(t.hashes) > keepKeySlots && time.Since(t.grown) > keepIdle {
		t.hashes, t.keys, t.vals = nil, nil, nil
	}
}

// move copies the entry in slot j to slot i.
func (t *keyTable[V]) move(i, j int) {
	t.hashes[i], t.vals[i] = t.hashes[j], t.vals[j]
	if t.keys != nil {
		t.keys[i] = t.keys[j]
	}
}

// resize rehashes into n slots (a power of two).
func (t *keyTable[V]) resize(n int) {
	old := *t
	if old.hashes == nil {
		t.seed = maphash.MakeSeed()
	}
	t.hashes, t.vals = make([]uint64, n), make([]V, n)
	t.keys = nil
	if t.keyOf == nil {
		t.keys = make([]ReceiptKey, n)
	}
	t.shift = uint8(64 - bits.TrailingZeros(uint(n)))
	t.grown = time.Now()
	mask := n - 1
	for j, h := range old.hashes {
		if h == 0 {
			continue
		}
		i := t.home(h)
		for t.hashes[i] != 0 {
			i = (i + 1) & mask
		}
		t.hashes[i], t.vals[i] = h, old.vals[j]
		if t.keys != nil {
			t.keys[i] = old.keys[j]
		}
	}
}
