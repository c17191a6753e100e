#include "events/symbol.h"

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace mentorlog::events {

const Symbol::Entry Symbol::kEmpty;

namespace {

// An open-addressing table read without a lock: folds intern an id per
// member they read, so a lookup must cost no more than the hash and a probe or
// two. Writers (a text seen for the first time) take the mutex. A node, once
// published in a slot, never changes or moves, and no array a reader may hold
// is ever freed (growing doubles the size, so all the arrays together take at
// most twice the last one).
class Table {
 public:
  Table() { Publish(kFirstSize); }

  const Symbol::Entry* Intern(std::string_view text) {
    const std::size_t hash = std::hash<std::string_view>{}(text);
    if (const Symbol::Entry* found = Find(text, hash)) return found;
    const std::lock_guard lock(mutex_);
    if (const Symbol::Entry* found = Find(text, hash)) return found;    // another thread's
    const auto number = static_cast<std::uint32_t>(nodes_.size() + 1);  // 0 is ""
    const Node& node = nodes_.emplace_back(hash, Symbol::Entry{std::string(text), number});
    if ((nodes_.size() + 1) * 2 > current_.load(std::memory_order_relaxed)->size) {
      Publish(2 * current_.load(std::memory_order_relaxed)->size);  // places every node
    } else {
      Place(*current_.load(std::memory_order_relaxed), node);
    }
    return &node.entry;
  }

  const Symbol::Entry* Find(std::string_view text) {
    return Find(text, std::hash<std::string_view>{}(text));
  }

  std::size_t Size() {
    const std::lock_guard lock(mutex_);
    return nodes_.size();
  }

 private:
  struct Node {
    Node(std::size_t h, Symbol::Entry e) : hash(h), entry(std::move(e)) {}
    std::size_t hash;
    Symbol::Entry entry;
  };
  struct Array {
    explicit Array(std::size_t n)
        : size(n), slots(std::make_unique<std::atomic<const Node*>[]>(n)) {}
    std::size_t size;  // a power of two
    std::unique_ptr<std::atomic<const Node*>[]> slots;
  };
  static constexpr std::size_t kFirstSize = 1 << 12;

  const Symbol::Entry* Find(std::string_view text, std::size_t hash) const {
    const Array& a = *current_.load(std::memory_order_acquire);
    for (std::size_t i = hash & (a.size - 1);; i = (i + 1) & (a.size - 1)) {
      const Node* node = a.slots[i].load(std::memory_order_acquire);
      if (node == nullptr) return nullptr;
      if (node->hash == hash && node->entry.text == text) return &node->entry;
    }
  }

  // Under the mutex, in an array with a free slot.
  static void Place(Array& a, const Node& node) {
    std::size_t i = node.hash & (a.size - 1);
    while (a.slots[i].load(std::memory_order_relaxed) != nullptr) i = (i + 1) & (a.size - 1);
    a.slots[i].store(&node, std::memory_order_release);
  }

  // Under the mutex (or in the constructor): a new array holding every node.
  void Publish(std::size_t size) {
    auto& a = *arrays_.emplace_back(std::make_unique<Array>(size));
    for (const Node& node : nodes_) Place(a, node);
    current_.store(&a, std::memory_order_release);
  }

  std::mutex mutex_;
  std::deque<Node> nodes_;                      // stable addresses
  std::vector<std::unique_ptr<Array>> arrays_;  // every array ever published
  std::atomic<Array*> current_{nullptr};
};

Table& TheTable() {
  static Table table;  // made on first use, from any thread
  return table;
}

}  // namespace

Symbol::Symbol(std::string_view text) : entry_(text.empty() ? &kEmpty : TheTable().Intern(text)) {}

std::optional<Symbol> Symbol::Find(std::string_view text) {
  if (text.empty()) return Symbol();
  const Entry* found = TheTable().Find(text);
  if (found == nullptr) return std::nullopt;
  return Symbol(found);
}

std::size_t Symbol::TableSize() { return TheTable().Size(); }

}  // namespace mentorlog::events
