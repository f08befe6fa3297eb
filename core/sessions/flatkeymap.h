// An open-addressing hash table keyed by 32-byte digests, for the session-validation hot path.
// Linear probing over one flat array of 128-byte slots (key and value together, cache-line
// aligned): a hit costs one memory access where a node-based std::unordered_map costs two or three
// (bucket, node, and the next node libstdc++ hashes to find the chain's end). The keys are
// SHA-256 digests, so their first 8 bytes are already a uniform hash. Kept at most half full;
// deletion shifts the following run back (no tombstones). Large tables are 2 MiB-aligned and
// ask for transparent huge pages (fewer TLB misses on random lookups). Not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

#include <sys/mman.h>

namespace gh {

template <class V> class FlatKeyMap {
    static_assert(std::is_trivially_copyable_v<V>, "slots are moved with memcpy");

public:
    using Key = std::array<unsigned char, 32>;

    FlatKeyMap() = default;
    ~FlatKeyMap() { std::free(m_slots); }
    FlatKeyMap(const FlatKeyMap&) = delete;
    FlatKeyMap& operator=(const FlatKeyMap&) = delete;

    V* find(const Key& key) {
        if (m_size == 0)
            return nullptr;
        for (std::size_t i = home(key);; i = (i + 1) & m_mask) {
            Slot& s = m_slots[i];
            if (!s.used)
                return nullptr;
            if (s.key == key)
                return &s.value;
        }
    }
    const V* find(const Key& key) const { return const_cast<FlatKeyMap*>(this)->find(key); }

    // Inserts or replaces.
    V& insert(const Key& key, const V& value) {
        if ((m_size + 1) * 2 > m_capacity)
            grow();
        std::size_t i = home(key);
        while (m_slots[i].used && m_slots[i].key != key)
            i = (i + 1) & m_mask;
        if (!m_slots[i].used)
            ++m_size;
        m_slots[i].used = true;
        m_slots[i].key = key;
        m_slots[i].value = value;
        return m_slots[i].value;
    }

    void erase(const Key& key) {
        if (m_size == 0)
            return;
        std::size_t i = home(key);
        while (true) {
            if (!m_slots[i].used)
                return;
            if (m_slots[i].key == key)
                break;
            i = (i + 1) & m_mask;
        }
        m_slots[i].used = false;
        --m_size;
        // Backward-shift: move later members of the run into the hole when their home allows it.
        for (std::size_t j = (i + 1) & m_mask; m_slots[j].used; j = (j + 1) & m_mask) {
            const std::size_t h = home(m_slots[j].key);
            const bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
            if (stays)
                continue;
            m_slots[i] = m_slots[j];
            m_slots[j].used = false;
            i = j;
        }
    }

    void clear() {
        std::free(m_slots);
        m_slots = nullptr;
        m_capacity = 0;
        m_size = 0;
        m_mask = 0;
    }
    std::size_t size() const { return m_size; }

    template <class F> void forEach(F&& f) const {
        for (std::size_t i = 0; i < m_capacity; ++i)
            if (m_slots[i].used)
                f(m_slots[i].key, m_slots[i].value);
    }

private:
    struct alignas(64) Slot {
        Key key{};
        bool used = false;
        V value{};
    };

    std::size_t home(const Key& key) const {
        std::uint64_t h = 0;
        std::memcpy(&h, key.data(), sizeof h);
        return static_cast<std::size_t>(h) & m_mask;
    }

    static Slot* allocate(std::size_t capacity) {
        constexpr std::size_t kHuge = std::size_t(2) << 20;
        const std::size_t bytes = capacity * sizeof(Slot);
        const std::size_t align = bytes >= kHuge ? kHuge : alignof(Slot);
        void* p = std::aligned_alloc(align, (bytes + align - 1) / align * align);
        if (!p)
            throw std::bad_alloc();
        if (align == kHuge)
            (void)madvise(p, bytes, MADV_HUGEPAGE); // a hint; without THP it is plain memory
        std::memset(p, 0, bytes);                   // all slots unused
        return static_cast<Slot*>(p);
    }

    void grow() {
        Slot* old = m_slots;
        const std::size_t oldCapacity = m_capacity;
        m_capacity = oldCapacity == 0 ? 64 : oldCapacity * 2;
        m_slots = allocate(m_capacity);
        m_mask = m_capacity - 1;
        m_size = 0;
        for (std::size_t i = 0; i < oldCapacity; ++i)
            if (old[i].used)
                insert(old[i].key, old[i].value);
        std::free(old);
    }

    Slot* m_slots = nullptr;
    std::size_t m_capacity = 0;
    std::size_t m_size = 0;
    std::size_t m_mask = 0;
};

} // namespace gh
