// Values of the embedding API (switchboard/value.h, issue 18): Handles on script objects,
// C++ containers, calls into script, promises settled from other threads, and Handles that
// outlive their page. Linked into switchboard_embedding_tests, whose page_test.cc makes the
// process's Engine.
#include "switchboard/value.h"

#include <map>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "switchboard/switchboard.h"

namespace switchboard::embed {

// Readable failures: gtest prints Values through this (found by argument-dependent lookup).
void PrintTo(const Value& value, std::ostream* out) {
  struct Printer {
    std::ostream* out;
    void operator()(const Undefined&) const { *out << "undefined"; }
    void operator()(const Null&) const { *out << "null"; }
    void operator()(bool flag) const { *out << (flag ? "true" : "false"); }
    void operator()(double number) const { *out << number; }
    void operator()(const std::string& text) const { *out << '"' << text << '"'; }
    void operator()(const BigInt& big) const { *out << big.decimal << 'n'; }
    void operator()(const Handle& handle) const {
      *out << "Handle(";
      if (handle.alive()) {
        try {
          *out << handle.Inspect();
        } catch (const std::exception& error) {
          *out << error.what();
        }
      }
      *out << ')';
    }
    void operator()(const Array& elements) const {
      *out << '[';
      for (const Value& element : elements) PrintTo(element, out), *out << ", ";
      *out << ']';
    }
    void operator()(const Dictionary& entries) const {
      *out << '{';
      for (const auto& [key, property] : entries)
        *out << key << ": ", PrintTo(property, out), *out << ", ";
      *out << '}';
    }
  };
  std::visit(Printer{out}, value);
}

namespace {

std::unique_ptr<Page> NewPage(std::vector<std::string>* errors = nullptr) {
  PageOptions options;
  options.console = [](ConsoleLevel, std::string_view) {};
  options.errors = [errors](std::string_view report) {
    if (errors) errors->emplace_back(report);
  };
  return Page::Create(std::move(options));
}

Handle HandleOf(const EvaluateResult& result) {
  EXPECT_TRUE(result.ok()) << result.inspected;
  EXPECT_TRUE(std::holds_alternative<Handle>(result.value)) << result.inspected;
  return std::holds_alternative<Handle>(result.value) ? std::get<Handle>(result.value) : Handle();
}

// Expects `call` to throw Error whose message contains `part`.
template <class Call>
void ExpectError(Call call, const std::string& part) {
  try {
    call();
    ADD_FAILURE() << "no Error; expected one saying " << part;
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
  }
}

// Integers become numbers; characters and bools do not turn into numbers by accident.
static_assert(std::is_convertible_v<int, Value> && std::is_convertible_v<std::uint64_t, Value>);
static_assert(!std::is_convertible_v<char, Value>);

TEST(EmbeddingValues, IntegersAndStringsConvert) {
  EXPECT_EQ(Value(3), Value(3.0));
  EXPECT_EQ(Value(std::int64_t{1} << 53), Value(9007199254740992.0));
  EXPECT_TRUE(std::holds_alternative<bool>(Value(true)));
  EXPECT_EQ(Value("text"), Value(std::string("text")));
}

TEST(EmbeddingValues, BigIntsCrossAsTheirDecimalDigits) {
  auto page = NewPage();
  EXPECT_EQ(page->Evaluate("10n").value, Value(BigInt{"10"}));
  EXPECT_EQ(page->Evaluate("-(2n ** 100n)").value,
            Value(BigInt{"-1267650600228229401496703205376"}));
  EXPECT_EQ(page->Evaluate("10n").inspected, "10n");

  page->DefineValue("big", BigInt{"-1267650600228229401496703205376"});
  page->DefineValue("small", BigInt::FromInt64(-42));
  EXPECT_EQ(
      page->Evaluate("typeof big === 'bigint' && big === -(2n ** 100n) && small === -42n").value,
      Value(true));
  EXPECT_EQ(page->Evaluate("0n").value, Value(BigInt{"0"}));
  page->DefineValue("zero", BigInt{"-0"});
  EXPECT_EQ(page->Evaluate("zero === 0n").value, Value(true));

  EXPECT_EQ(BigInt{"9223372036854775807"}.ToInt64(), INT64_MAX);
  EXPECT_EQ(BigInt{"-9223372036854775808"}.ToInt64(), INT64_MIN);
  EXPECT_EQ(BigInt{"9223372036854775808"}.ToInt64(), std::nullopt);
  EXPECT_EQ(BigInt{"12x"}.ToInt64(), std::nullopt);

  for (const char* malformed : {"", "-", "1.5", "+1", "0x10", "1 "}) {
    ExpectError([&] { page->DefineValue("bad", BigInt{malformed}); }, "BigInt");
  }
}

TEST(EmbeddingValues, ObjectsArraysFunctionsPromisesAndSymbolsAreHandles) {
  auto page = NewPage();
  EXPECT_EQ(HandleOf(page->Evaluate("({a: 1})")).kind(), Handle::Kind::kObject);
  EXPECT_EQ(HandleOf(page->Evaluate("[1, 2]")).kind(), Handle::Kind::kArray);
  EXPECT_EQ(HandleOf(page->Evaluate("(function f() {})")).kind(), Handle::Kind::kFunction);
  EXPECT_EQ(HandleOf(page->Evaluate("Promise.resolve(1)")).kind(), Handle::Kind::kPromise);
  EXPECT_EQ(HandleOf(page->Evaluate("Symbol('s')")).kind(), Handle::Kind::kSymbol);
  EXPECT_EQ(HandleOf(page->Evaluate("new Error('e')")).kind(), Handle::Kind::kObject);

  // Get, Set and Keys act on the script object itself.
  Handle object =
      HandleOf(page->Evaluate("var shared = {a: 1, b: 'two', nested: {c: true}}; shared"));
  EXPECT_EQ(object.Get("a"), Value(1.0));
  EXPECT_EQ(object.Get("missing"), Value(Undefined{}));
  EXPECT_EQ(object.Keys(), (std::vector<std::string>{"a", "b", "nested"}));
  Handle nested = std::get<Handle>(object.Get("nested"));
  EXPECT_EQ(nested.Get("c"), Value(true));
  object.Set("fromCpp", Array{1, "x"});
  nested.Set("c", false);
  EXPECT_EQ(page->Evaluate("JSON.stringify(shared)").value,
            Value(R"({"a":1,"b":"two","nested":{"c":false},"fromCpp":[1,"x"]})"));
  // The same object each time: === in script, == in C++.
  EXPECT_EQ(HandleOf(page->Evaluate("shared")), object);
  EXPECT_FALSE(HandleOf(page->Evaluate("({})")) == object);

  Handle array = HandleOf(page->Evaluate("['zero', 'one']"));
  EXPECT_EQ(array.Get(1u), Value("one"));
  array.Set(2u, 2);
  EXPECT_EQ(array.ToArray(), (Array{"zero", "one", 2}));

  // The global object.
  Handle global = page->global();
  global.Set("fromGlobal", "yes");
  EXPECT_EQ(page->Evaluate("fromGlobal").value, Value("yes"));
  EXPECT_EQ(global.Get("shared"), Value(object));

  // Text forms.
  EXPECT_EQ(object.Inspect(), "{ a: 1, b: 'two', nested: { c: false }, fromCpp: [ 1, 'x' ] }");
  EXPECT_EQ(HandleOf(page->Evaluate("(function named() {})")).ToJson(), std::nullopt);
  EXPECT_EQ(HandleOf(page->Evaluate("(function named() {})")).Inspect(), "[Function: named]");

  // Script exceptions inside a Handle call are ScriptErrors; the page goes on.
  Handle throwing = HandleOf(page->Evaluate("({get bad() { throw new TypeError('getter'); }})"));
  EXPECT_THROW(throwing.Get("bad"), ScriptError);
  EXPECT_EQ(throwing.Keys(), std::vector<std::string>{"bad"});  // names only: no getter runs
  EXPECT_THROW(throwing.ToDictionary(), ScriptError);
  Handle cyclic = HandleOf(page->Evaluate("var cycle = {}; cycle.self = cycle; cycle"));
  EXPECT_THROW(cyclic.ToJson(), ScriptError);
  ExpectError([&] { cyclic.ToContainers(); }, "contains itself");
  ExpectError([&] { HandleOf(page->Evaluate("Symbol('s')")).Get("x"); }, "not an object");
  EXPECT_EQ(page->Evaluate("1 + 1").value, Value(2.0));

  // An empty Handle refers to nothing.
  Handle empty;
  EXPECT_FALSE(empty.alive());
  ExpectError([&] { empty.kind(); }, "empty");
  ExpectError([&] { empty.Get("x"); }, "empty");
  ExpectError([&] { page->DefineValue("e", empty); }, "empty");
  ExpectError([&] { page->NewObject(1.0); }, "Array or a Dictionary");
}

TEST(EmbeddingValues, ObjectsRoundTripThroughCppContainers) {
  auto page = NewPage();
  Handle original = HandleOf(page->Evaluate(
      "({name: 'box', size: 3, tags: ['a', 'b'], inner: {deep: [1, {x: null}]}, f() {}})"));

  // Every level into containers; the method stays a Handle.
  Value copied = original.ToContainers();
  ASSERT_TRUE(std::holds_alternative<Dictionary>(copied));
  Dictionary entries = std::get<Dictionary>(copied);
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[0], (std::pair<std::string, Value>{"name", "box"}));
  EXPECT_EQ(entries[1], (std::pair<std::string, Value>{"size", 3}));
  EXPECT_EQ(entries[2], (std::pair<std::string, Value>{"tags", Array{"a", "b"}}));
  EXPECT_EQ(entries[3], (std::pair<std::string, Value>{
                            "inner", Dictionary{{"deep", Array{1, Dictionary{{"x", Null{}}}}}}}));
  EXPECT_EQ(entries[4].first, "f");
  ASSERT_TRUE(std::holds_alternative<Handle>(entries[4].second));
  EXPECT_EQ(std::get<Handle>(entries[4].second).kind(), Handle::Kind::kFunction);

  // Changed in C++ and back into script as a new object.
  std::get<Array>(entries[2].second).push_back("c");
  entries.emplace_back("added", Dictionary{{"n", BigInt{"7"}}});
  page->DefineValue("roundTripped", entries);
  EXPECT_EQ(page->Evaluate(R"(
      const r = roundTripped;
      [r.name, r.size, r.tags.join(), Array.isArray(r.tags), r.inner.deep[1].x,
       typeof r.f, r.added.n === 7n].join('|'))")
                .value,
            Value("box|3|a,b,c|true||function|true"));

  // One level: nested objects stay the very same script objects.
  page->Evaluate("var parent = {child: {id: 1}, list: [{id: 2}]}");
  Handle parent = std::get<Handle>(page->global().Get("parent"));
  Dictionary shallow = parent.ToDictionary();
  ASSERT_EQ(shallow.size(), 2u);
  page->DefineValue("childAgain", shallow[0].second);
  page->DefineValue("listAgain", shallow[1].second);
  page->DefineValue("firstOfList", std::get<Handle>(shallow[1].second).ToArray()[0]);
  EXPECT_EQ(page->Evaluate("childAgain === parent.child && listAgain === parent.list && "
                           "firstOfList === parent.list[0]")
                .value,
            Value(true));

  // From a std::map, and a new object whose Handle C++ keeps.
  std::map<std::string, Value> map{{"b", 2}, {"a", Array{Dictionary{{"k", "v"}}}}};
  Handle made = page->NewObject(Dictionary(map.begin(), map.end()));
  EXPECT_EQ(made.ToJson(), R"({"a":[{"k":"v"}],"b":2})");
  EXPECT_EQ(made.ToContainers(), Value(Dictionary(map.begin(), map.end())));
  Handle list = page->NewObject(Array{1, Array{2, 3}});
  EXPECT_EQ(list.kind(), Handle::Kind::kArray);
  EXPECT_EQ(list.ToContainers(), Value(Array{1, Array{2, 3}}));
}

TEST(EmbeddingValues, DefineFunctionReturnsObjectsArraysAndHandles) {
  auto page = NewPage();
  page->DefineFunction("describe", [](std::span<const Value> arguments) -> Value {
    const Handle& input = std::get<Handle>(arguments[0]);
    std::vector<std::string> keys = input.Keys();
    return Dictionary{{"kind", "report"},
                      {"keys", Array(keys.begin(), keys.end())},
                      {"same", input},
                      {"counts", Array{1, 2, Dictionary{{"three", 3}}}}};
  });
  EXPECT_EQ(page->Evaluate(R"(
      const input = {p: 1, q: 2};
      const out = describe(input);
      [out.kind, out.keys.join(), out.same === input, Array.isArray(out.counts),
       out.counts[2].three, Object.getPrototypeOf(out) === Object.prototype].join('|'))")
                .value,
            Value("report|p,q|true|true|3|true"));
}

TEST(EmbeddingValues, AKeptCallbackIsCalledLaterFromCpp) {
  auto page = NewPage();
  Value kept;
  page->DefineFunction("subscribe", [&](std::span<const Value> arguments) -> Value {
    if (arguments.empty() || !std::holds_alternative<Handle>(arguments[0]) ||
        std::get<Handle>(arguments[0]).kind() != Handle::Kind::kFunction) {
      throw ScriptError("subscribe(callback)");
    }
    kept = arguments[0];
    return Undefined{};
  });
  ASSERT_TRUE(page->Evaluate(R"(
      var received = [];
      subscribe(function (what, count) {
        received.push(what + ':' + count + ':' + (this && this.tag));
        if (what === 'bad') throw new RangeError('refused ' + count);
        return {total: received.length};
      });
  )")
                  .ok());
  // Later: after the script and a turn of the loop.
  EXPECT_EQ(page->RunUntilIdle(), RunResult::kIdle);
  EvaluateResult first = page->Call(kept, std::vector<Value>{"news", 1});
  ASSERT_TRUE(first.ok()) << first.inspected;
  EXPECT_EQ(std::get<Handle>(first.value).Get("total"), Value(1.0));
  EXPECT_EQ(first.inspected, "{ total: 1 }");
  EvaluateResult with_this =
      page->Call(kept, std::vector<Value>{"more", 2}, Dictionary{{"tag", "T"}});
  ASSERT_TRUE(with_this.ok()) << with_this.inspected;
  // Its exception comes back as Evaluate's does, not reported as uncaught.
  EvaluateResult thrown = page->Call(kept, std::vector<Value>{"bad", 3});
  EXPECT_EQ(thrown.status, EvaluateResult::Status::kThrew);
  EXPECT_EQ(thrown.inspected, "Uncaught RangeError: refused 3");
  EXPECT_EQ(std::get<Handle>(thrown.value).Get("message"), Value("refused 3"));
  EXPECT_EQ(page->uncaught_exception_count(), 0);
  // And from a task the embedder posted, and from inside another C++ function script calls.
  bool posted_ran = false;
  page->PostTask([&] { posted_ran = page->Call(kept, std::vector<Value>{"task", 4}).ok(); });
  page->DefineFunction("callBack", [&](std::span<const Value>) -> Value {
    return page->Call(kept, std::vector<Value>{"nested", 5}).value;
  });
  EXPECT_EQ(page->RunUntilIdle(), RunResult::kIdle);
  EXPECT_TRUE(posted_ran);
  EXPECT_EQ(page->Evaluate("callBack().total").value, Value(5.0));
  EXPECT_EQ(page->Evaluate("received.join(' ')").value,
            Value("news:1:undefined more:2:T bad:3:undefined task:4:undefined "
                  "nested:5:undefined"));

  // Misuse is an Error.
  ExpectError([&] { page->Call("not a handle"); }, "not a Handle");
  ExpectError([&] { page->Call(page->global()); }, "not a function");
}

TEST(EmbeddingValues, APromiseSettledFromAnotherThreadIsAwaitedByScript) {
  auto page = NewPage();
  std::vector<std::thread> threads;
  page->DefineFunction("fetchLater", [&](std::span<const Value> arguments) -> Value {
    PromiseResolver resolver = page->NewPromise();
    const bool fail = !arguments.empty() && arguments[0] == Value("fail");
    threads.emplace_back([resolver, fail] {
      if (fail) {
        EXPECT_TRUE(resolver.Reject("no route"));
      } else {
        EXPECT_TRUE(resolver.Resolve(Dictionary{{"answer", 42}, {"list", Array{"x"}}}));
        EXPECT_FALSE(resolver.Resolve("twice"));  // settled already
      }
    });
    return resolver.promise();
  });
  ASSERT_TRUE(page->Evaluate(R"(
      var outcome = [];
      (async () => {
        const value = await fetchLater();
        outcome.push(value.answer, value.list[0]);
        try { await fetchLater('fail'); } catch (reason) { outcome.push('rejected: ' + reason); }
      })();
  )")
                  .ok());
  // The unsettled promises keep the loop running until the threads settle them.
  EXPECT_EQ(page->RunFor(std::chrono::seconds(60)), RunResult::kIdle);
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(page->Evaluate("outcome.join('|')").value, Value("42|x|rejected: no route"));

  // A promise Handle tells its state.
  PromiseResolver resolver = page->NewPromise();
  Handle promise = resolver.promise();
  EXPECT_EQ(promise.promise_state(), Handle::PromiseState::kPending);
  EXPECT_EQ(promise.promise_result(), Value(Undefined{}));
  std::thread([resolver] { EXPECT_TRUE(resolver.Resolve(BigInt{"5"})); }).join();
  EXPECT_EQ(page->RunFor(std::chrono::seconds(60)), RunResult::kIdle);
  EXPECT_EQ(promise.promise_state(), Handle::PromiseState::kFulfilled);
  EXPECT_EQ(promise.promise_result(), Value(BigInt{"5"}));
  ExpectError([&] { page->global().promise_state(); }, "not a promise");
}

TEST(EmbeddingValues, AnUnsettledResolverKeepsTheLoopAliveUntilDropped) {
  auto page = NewPage();
  auto resolver = std::make_unique<PromiseResolver>(page->NewPromise());
  // Nothing will settle it: the loop waits (the time limit is the only way out).
  EXPECT_EQ(page->RunFor(std::chrono::milliseconds(50)), RunResult::kTimedOut);
  // Dropped on another thread: the loop can go idle; the promise stays pending.
  Handle promise = resolver->promise();
  std::thread([moved = std::move(resolver)]() mutable { moved.reset(); }).join();
  EXPECT_EQ(page->RunFor(std::chrono::seconds(60)), RunResult::kIdle);
  EXPECT_EQ(promise.promise_state(), Handle::PromiseState::kPending);
  // An empty resolver does nothing.
  EXPECT_FALSE(PromiseResolver().Resolve(1));
  ExpectError([] { PromiseResolver().promise(); }, "empty");
}

TEST(EmbeddingValues, HandlesThatOutliveTheirPageAreAClearError) {
  Handle object;
  Value callback;
  PromiseResolver resolver;
  {
    auto page = NewPage();
    object = HandleOf(page->Evaluate("({a: 1})"));
    callback = page->Evaluate("() => 1").value;
    resolver = page->NewPromise();
    EXPECT_TRUE(object.alive());
  }
  EXPECT_FALSE(object.alive());
  EXPECT_EQ(object.kind(), Handle::Kind::kObject);  // still known: no V8 needed
  ExpectError([&] { object.Get("a"); }, "page is gone");
  ExpectError([&] { object.Set("a", 2); }, "page is gone");
  ExpectError([&] { object.ToJson(); }, "page is gone");
  ExpectError([&] { object.ToContainers(); }, "page is gone");
  ExpectError([&] { resolver.promise(); }, "page is gone");
  EXPECT_FALSE(resolver.Resolve(1));  // a no-op, from any thread
  std::thread([resolver] { EXPECT_FALSE(resolver.Reject("late")); }).join();
  EXPECT_TRUE(object == object);
  EXPECT_FALSE(object == std::get<Handle>(callback));

  // A new page does not bring them back, and refuses them.
  auto next = NewPage();
  ExpectError([&] { next->Call(callback); }, "page is gone");
  ExpectError([&] { next->DefineValue("old", object); }, "page is gone");
  EXPECT_EQ(next->Evaluate("'still fine'").value, Value("still fine"));
}

TEST(EmbeddingValues, HandlesAreTiedToTheirPageAndItsThread) {
  auto page = NewPage();
  auto other = NewPage();
  Handle object = HandleOf(page->Evaluate("({a: 1})"));
  ExpectError([&] { other->DefineValue("foreign", object); }, "another page");
  ExpectError([&] { other->NewObject(Array{object}); }, "another page");
  ExpectError([&] { other->Call(page->Evaluate("() => 1").value); }, "another page");
  PromiseResolver resolver = other->NewPromise();
  ExpectError([&] { resolver.Resolve(object); }, "another page");

  // On another thread: an Error, never V8; copies may be made and dropped there.
  std::thread([object] {
    EXPECT_TRUE(object.alive());
    EXPECT_EQ(object.kind(), Handle::Kind::kObject);
    ExpectError([&] { object.Get("a"); }, "not its page's thread");
    ExpectError([&] { object.Inspect(); }, "not its page's thread");
    Handle copy = object;
  }).join();
  // A Handle whose last copy died on another thread is released later, on the page's.
  {
    Handle lone = HandleOf(page->Evaluate("({lone: true})"));
    std::thread([moved = std::move(lone)]() mutable { moved = Handle(); }).join();
  }
  EXPECT_EQ(object.Get("a"), Value(1.0));
  EXPECT_EQ(HandleOf(page->Evaluate("({b: 2})")).Get("b"), Value(2.0));
  EXPECT_TRUE(resolver.Resolve(Undefined{}));
  EXPECT_EQ(other->RunFor(std::chrono::seconds(60)), RunResult::kIdle);
}

}  // namespace
}  // namespace switchboard::embed
