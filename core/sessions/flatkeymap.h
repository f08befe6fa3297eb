// An open-addressing hash table keyed by 32-byte digests, for the session-validation hot path.
// Linear probing over one flat array of 128-byte slots (key and value together, cache-line
// aligned): a hit costs one memory access where a node-based std::unordered_map costs two or three
// (bucket, node, and the next node libstdc++ hashes to find the chain's end). The keys are
// SHA-256 digests, so their first 8 bytes are already a uniform hash. Kept at most half full;
// deletion shifts the following run back (no tombstones). Not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace gh {

template <class V> class FlatKeyMap {
public:
    using Key = std::array<unsigned char, 32>;

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
        if ((m_size + 1) * 2 > m_slots.size())
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
        m_slots.clear();
        m_size = 0;
        m_mask = 0;
    }
    std::size_t size() const { return m_size; }

    template <class F> void forEach(F&& f) const {
        for (const Slot& s : m_slots)
            if (s.used)
                f(s.key, s.value);
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

    void grow() {
        std::vector<Slot> old = std::move(m_slots);
        const std::size_t capacity = old.empty() ? 64 : old.size() * 2;
        m_slots.assign(capacity, Slot{});
        m_mask = capacity - 1;
        m_size = 0;
        for (const Slot& s : old)
            if (s.used)
                insert(s.key, s.value);
    }

    std::vector<Slot> m_slots;
    std::size_t m_size = 0;
    std::size_t m_mask = 0;
};

} // namespace gh
