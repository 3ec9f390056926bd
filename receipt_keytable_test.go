package dyvms

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keyTable agrees with a Go map through random sets and deletes, in a table
// small enough that probe runs wrap around and deletions shift entries back.
func TestKeyTableMatchesMap(t *testing.T) {
	var tab keyTable[int]
	ref := map[ReceiptKey]int{}
	key := func(i int) ReceiptKey { return sha256.Sum256(binary.AppendUvarint(nil, uint64(i))) }
	for op := 0; op < 200_000; op++ {
		k := key(rand.IntN(300))
		switch rand.IntN(4) {
		case 0:
			v, held := tab.getOrSet(k, op)
			want, wantHeld := ref[k]
			require.Equal(t, wantHeld, held)
			if !held {
				want, ref[k] = op, op
			}
			require.Equal(t, want, v)
		case 1, 2:
			tab.set(k, op)
			ref[k] = op
		default:
			v := ref[k]
			tab.delIf(k, v+1) // wrong value: stays
			tab.delIf(k, v)
			delete(ref, k)
		}
		if op%1000 == 0 {
			require.Equal(t, len(ref), tab.used)
			for i := 0; i < 300; i++ {
				got, ok := tab.get(key(i))
				want, wantOK := ref[key(i)]
				require.Equal(t, wantOK, ok, "key %d", i)
				require.Equal(t, want, got, "key %d", i)
			}
		}
	}
	assert.LessOrEqual(t, len(tab.hashes), 512, "the table holds at most 300 keys")
}

// A table that keeps no keys, only values that refer to them (keyOf),
// agrees with a Go map too.
func TestKeyTableExternalKeysMatchesMap(t *testing.T) {
	keys := make([]ReceiptKey, 300)
	for i := range keys {
		keys[i] = sha256.Sum256(binary.AppendUvarint(nil, uint64(i)))
	}
	calls := 0
	tab := keyTable[uint64]{keyOf: func(v uint64) *ReceiptKey { calls++; return &keys[v>>32] }}
	ref := map[int]uint64{}
	for op := 0; op < 200_000; op++ {
		i := rand.IntN(len(keys))
		v := uint64(i)<<32 | uint64(op)
		switch rand.IntN(3) {
		case 0, 1:
			got, held := tab.getOrSet(keys[i], v)
			want, wantHeld := ref[i]
			require.Equal(t, wantHeld, held)
			if !held {
				want, ref[i] = v, v
			}
			require.Equal(t, want, got)
		default:
			tab.delIf(keys[i], ref[i]+1) // another value: stays
			tab.delIf(keys[i], ref[i])
			delete(ref, i)
		}
		if op%1000 == 0 {
			require.Equal(t, len(ref), tab.used)
			for i := range keys {
				got, ok := tab.get(keys[i])
				require.Equal(t, ref[i], got, "key %d", i)
				_, want := ref[i]
				require.Equal(t, want, ok, "key %d", i)
			}
		}
	}
	assert.Nil(t, tab.keys, "no key is stored")
	assert.Positive(t, calls)
}

// A table past keepKeySlots that empties is kept while it is still growing
// in bursts, and dropped once it has not grown for keepIdle.
func TestKeyTableDropsIdlePeak(t *testing.T) {
	var tab keyTable[int]
	fill := func(n int) {
		for i := 0; i < n; i++ {
			tab.set(sha256.Sum256(binary.AppendUvarint(nil, uint64(i))), i)
		}
		for i := 0; i < n; i++ {
			tab.delIf(sha256.Sum256(binary.AppendUvarint(nil, uint64(i))), i)
		}
	}
	fill(keepKeySlots)
	assert.Greater(t, len(tab.hashes), keepKeySlots, "kept: it just grew")
	tab.grown = time.Now().Add(-2 * keepIdle)
	fill(1)
	assert.Nil(t, tab.hashes, "dropped: idle past keepIdle")
	fill(100)
	assert.Equal(t, 0, tab.used)
	assert.LessOrEqual(t, len(tab.hashes), 256, "a small table is kept")
}

// reserve grows the table once, to a size that takes the keys to come
// without growing again, and keeps what it held.
func TestKeyTableReserve(t *testing.T) {
	var tab keyTable[int]
	key := func(i int) ReceiptKey { return sha256.Sum256(binary.AppendUvarint(nil, uint64(i))) }
	for i := 0; i < 100; i++ {
		tab.set(key(i), i)
	}
	tab.reserve(10_000)
	size := len(tab.hashes)
	assert.GreaterOrEqual(t, size*13, (10_100+1)*16)
	assert.Less(t, size*13, 2*(10_100+1)*16, "the smallest power of two that fits")
	for i := 100; i < 10_100; i++ {
		tab.set(key(i), i)
	}
	assert.Equal(t, size, len(tab.hashes), "no growth while the reserved keys come in")
	for i := 0; i < 10_100; i++ {
		v, ok := tab.get(key(i))
		require.True(t, ok)
		require.Equal(t, i, v)
	}
	tab.reserve(10)
	assert.Equal(t, size, len(tab.hashes), "room enough: unchanged")
}
