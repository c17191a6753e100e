// Interned strings (events/symbol.h): one text, one symbol, on any thread;
// ordered by text; stored in snapshots and JSON as the text itself.

#include "projections/symbol.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "events/data_view.h"
#include "projections/fold_support.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

TEST(Symbol, TheSameTextIsTheSameSymbolAndComparesWithStrings) {
  const Symbol a("symbol-test-S-1");
  const Symbol b(std::string("symbol-test-S-") + "1");
  EXPECT_EQ(a, b);
  EXPECT_EQ(&a.str(), &b.str());  // one copy of the text
  EXPECT_EQ(a, "symbol-test-S-1");
  EXPECT_EQ(a, std::string("symbol-test-S-1"));
  EXPECT_NE(a, Symbol("symbol-test-S-2"));
  EXPECT_NE(a, "symbol-test-S-2");
  const std::string& text = a;  // reads as the text without copying it
  EXPECT_EQ(text, "symbol-test-S-1");
}

TEST(Symbol, TheEmptyTextIsTheDefaultSymbol) {
  EXPECT_EQ(Symbol(""), Symbol());
  EXPECT_TRUE(Symbol().empty());
  EXPECT_EQ(Symbol().str(), "");
  EXPECT_EQ(Symbol::Find(""), Symbol());
}

TEST(Symbol, FindDoesNotIntern) {
  const std::size_t before = Symbol::TableSize();
  EXPECT_EQ(Symbol::Find("symbol-test-never-interned"), std::nullopt);
  EXPECT_EQ(Symbol::TableSize(), before);
  const Symbol made("symbol-test-interned-once");
  EXPECT_EQ(Symbol::TableSize(), before + 1);
  EXPECT_EQ(Symbol::Find("symbol-test-interned-once"), made);
}

TEST(Symbol, OrderedContainersListByText) {
  // Interned in the reverse of their order, so addresses cannot give the order.
  const Symbol c("symbol-test-order-c"), b("symbol-test-order-b"), a("symbol-test-order-a");
  const std::set<Symbol> set{c, a, b};
  EXPECT_EQ(std::vector<Symbol>(set.begin(), set.end()), (std::vector<Symbol>{a, b, c}));
  EXPECT_LT(a, b);
  EXPECT_GT(c, b);
  EXPECT_EQ(a <=> Symbol("symbol-test-order-a"), std::strong_ordering::equal);
}

TEST(Symbol, InterningFromTwoThreadsGivesOneSymbolPerText) {
  constexpr int kTexts = 20'000;
  std::vector<Symbol> first(kTexts), second(kTexts);
  const auto intern = [](std::vector<Symbol>& out) {
    for (int i = 0; i < kTexts; ++i) out[i] = Symbol("symbol-test-thread-" + std::to_string(i));
  };
  std::thread one(intern, std::ref(first));
  std::thread two(intern, std::ref(second));
  one.join();
  two.join();
  for (int i = 0; i < kTexts; ++i) {
    ASSERT_EQ(first[i], second[i]) << i;
    ASSERT_EQ(first[i], "symbol-test-thread-" + std::to_string(i));
  }
}

TEST(Symbol, SnapshotsAndJsonHoldTheText) {
  const std::map<Symbol, std::vector<Symbol>> state{
      {Symbol("symbol-test-M-1"), {Symbol("symbol-test-S-1"), Symbol("symbol-test-S-2")}},
      {Symbol("symbol-test-M-2"), {}}};

  // Binary: each text once, then its number.
  Encoder e;
  Encode(e, state);
  const std::string bytes = e.Take();
  Encoder as_strings;
  Encode(as_strings,
         std::map<std::string, std::vector<std::string>>{
             {"symbol-test-M-1", {"symbol-test-S-1", "symbol-test-S-2"}}, {"symbol-test-M-2", {}}});
  EXPECT_EQ(bytes.size(), as_strings.Take().size() + 4);  // a 0 before each of the 4 texts
  std::map<Symbol, std::vector<Symbol>> decoded;
  Decoder d(bytes);
  ASSERT_TRUE(Decode(d, decoded));
  EXPECT_TRUE(d.AtEnd());
  EXPECT_EQ(decoded, state);

  // JSON: the texts.
  const nlohmann::json j = state;
  EXPECT_EQ(
      j, nlohmann::json::parse(
             R"({"symbol-test-M-1":["symbol-test-S-1","symbol-test-S-2"],"symbol-test-M-2":[]})"));
  EXPECT_EQ((j.get<std::map<Symbol, std::vector<Symbol>>>()), state);
  EXPECT_EQ(
      (j.get<std::unordered_map<Symbol, std::vector<Symbol>>>().at(Symbol("symbol-test-M-1"))),
      state.at(Symbol("symbol-test-M-1")));
}

TEST(Symbol, ARepeatedSymbolIsWrittenAsItsNumber) {
  const Symbol id("symbol-test-repeated");
  const std::vector<Symbol> state(100, id);
  Encoder e;
  Encode(e, state);
  const std::string bytes = e.Take();
  // count, 0, length, text, then 99 one-byte numbers.
  EXPECT_EQ(bytes.size(), 1 + 1 + 1 + id.str().size() + 99);
  std::vector<Symbol> decoded;
  Decoder d(bytes);
  ASSERT_TRUE(Decode(d, decoded));
  EXPECT_EQ(decoded, state);
}

TEST(Symbol, ANumberNotWrittenBeforeIsRefused) {
  Encoder e;
  e.Varint(2);  // a vector of two symbols
  e.Varint(0);
  e.Bytes("symbol-test-first");
  e.Varint(2);  // only 1 was given
  const std::string bytes = e.Take();
  std::vector<Symbol> out;
  Decoder d(bytes);
  EXPECT_FALSE(Decode(d, out));
}

TEST(Symbol, ATruncatedSnapshotIsRefused) {
  Encoder e;
  Encode(e, Symbol("symbol-test-truncated"));
  std::string bytes = e.Take();
  bytes.pop_back();
  Symbol out;
  Decoder d(bytes);
  EXPECT_FALSE(Decode(d, out));
  EXPECT_EQ(out, Symbol());
}

TEST(Symbol, FoldsReadIdsFromEventDataAsTheStringReadersDo) {
  const events::IndexedObject data(
      R"({"a":"symbol-test-S-1","b":"symbol-test-x\"y","n":5,"l":["symbol-test-S-1","symbol-test-q\"r",3]})");
  const events::DataView d = data.View();
  EXPECT_EQ(Sym(d, "a"), Symbol("symbol-test-S-1"));
  EXPECT_EQ(Sym(d, "b"), "symbol-test-x\"y");  // an escape is read, not dropped
  EXPECT_EQ(Sym(d, "n"), Symbol());            // not a string
  EXPECT_EQ(Sym(d, "missing"), Symbol());
  EXPECT_EQ(Syms(d, "l"),
            (std::vector<Symbol>{Symbol("symbol-test-S-1"), Symbol("symbol-test-q\"r")}));

  std::unordered_map<Symbol, int> map{{Symbol("symbol-test-x\"y"), 1},
                                      {Symbol("symbol-test-S-1"), 2}};
  ASSERT_NE(FindById(map, d, "b"), map.end());
  EXPECT_EQ(FindById(map, d, "b")->second, 1);
  EXPECT_EQ(FindById(map, d, "a")->second, 2);
  EXPECT_EQ(FindById(map, d, "n"), map.end());
  const std::size_t before = Symbol::TableSize();
  const events::IndexedObject unknown(R"({"a":"symbol-test-looked-up-only"})");
  EXPECT_EQ(FindById(map, unknown.View(), "a"), map.end());
  EXPECT_EQ(Symbol::TableSize(), before);  // looking up interns nothing
}

}  // namespace
}  // namespace mentorlog::projections::internal
