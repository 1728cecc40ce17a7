// AbortController and AbortSignal in V8 (DOM §3.1-§3.2, §2.7 `signal`): abort reasons, the
// order of abort algorithms and the abort event, dependent signals, timeouts through the
// environment's platform timers and whether they keep the page alive, and lifetimes.
#include <gtest/gtest.h>

#include "bindings/script_wrappable.h"
#include "bindings/testing/v8_test_environment.h"

namespace switchboard::dom {
namespace {

using AbortSignalTest = bindings::testing::V8Test;
using bindings::ScriptEnvironment;
using bindings::ScriptWrappable;

TEST_F(AbortSignalTest, ControllerAbortsWithReasonOrAbortErrorAndFiresOnce) {
  EXPECT_EQ(Run(R"(
    const controller = new AbortController();
    const signal = controller.signal;
    log(signal === controller.signal, signal.aborted, signal.reason);
    signal.onabort = (e) => log('onabort', e.type, e.isTrusted, e.target === signal, signal.aborted);
    signal.addEventListener('abort', () => log('listener'));
    controller.abort();
    log(signal.reason instanceof DOMException, signal.reason.name, signal.reason.code);
    log(typeof signal.reason.stack, signal.reason.stack.split('\n')[0]);
    const first = signal.reason;
    controller.abort('again');
    log(signal.reason === first);
    const other = new AbortController();
    const reason = {why: 'custom'};
    other.abort(reason);
    log(other.signal.reason === reason);
    other.abort(undefined);
    const third = new AbortController();
    third.abort(undefined);
    log(third.signal.reason.name);
  )"),
            "true false undefined\n"
            "onabort abort true true true\n"
            "listener\n"
            "true AbortError 20\n"
            "string AbortError: signal is aborted without reason\n"
            "true\n"
            "true\n"
            "AbortError\n");
}

TEST_F(AbortSignalTest, StaticAbortAndThrowIfAborted) {
  EXPECT_EQ(Run(R"(
    const s = AbortSignal.abort();
    log(s.aborted, s.reason.name);
    const reason = new Error('mine');
    try { AbortSignal.abort(reason).throwIfAborted(); } catch (e) { log('threw same', e === reason); }
    try { AbortSignal.abort(7).throwIfAborted(); } catch (e) { log('threw', e); }
    new AbortController().signal.throwIfAborted();
    log('not aborted: no throw');
    try { new AbortSignal(); } catch (e) { log(e.name); }
    log(AbortSignal.abort.length, AbortSignal.timeout.length, AbortSignal.any.length);
  )"),
            "true AbortError\nthrew same true\nthrew 7\nnot aborted: no throw\nTypeError\n0 1 1\n");
}

TEST_F(AbortSignalTest, SignalOptionRemovesListenersBeforeTheAbortEvent) {
  EXPECT_EQ(Run(R"(
    const target = new EventTarget();
    const controller = new AbortController();
    target.addEventListener('x', () => log('x listener'), {signal: controller.signal});
    controller.signal.addEventListener('abort', () => {
      target.dispatchEvent(new Event('x'));
      log('abort event: listener gone');
    });
    target.dispatchEvent(new Event('x'));
    controller.abort();
    target.dispatchEvent(new Event('x'));
    target.addEventListener('x', () => log('never added'), {signal: controller.signal});
    target.dispatchEvent(new Event('x'));
    // A listener removed by hand, then added again without a signal, stays.
    const c2 = new AbortController();
    const f = () => log('f runs');
    target.addEventListener('y', f, {signal: c2.signal});
    target.removeEventListener('y', f);
    target.addEventListener('y', f);
    c2.abort();
    target.dispatchEvent(new Event('y'));
    // A signal listening to its own abort with itself as the signal.
    const c3 = new AbortController();
    c3.signal.addEventListener('abort', () => log('self: not called'), {signal: c3.signal});
    c3.abort();
    try { target.addEventListener('z', () => {}, {signal: 'no'}); } catch (e) { log(e.name); }
    try { target.addEventListener('z', () => {}, {signal: null}); } catch (e) { log(e.name); }
  )"),
            "x listener\nabort event: listener gone\nf runs\nTypeError\nTypeError\n");
}

TEST_F(AbortSignalTest, AnyFollowsItsSourcesAndFlattensDependents) {
  EXPECT_EQ(Run(R"(
    const a = new AbortController(), b = new AbortController();
    const any = AbortSignal.any([a.signal, b.signal]);
    const nested = AbortSignal.any([any]);
    log(any.aborted, nested.aborted);
    a.signal.onabort = () => log('a', any.aborted, nested.aborted);
    any.onabort = () => log('any');
    nested.onabort = () => log('nested');
    const reason = {};
    a.abort(reason);
    log(any.reason === reason, nested.reason === reason);
    b.abort();
    log(AbortSignal.any([]).aborted);
    const early = AbortSignal.any([new AbortController().signal, AbortSignal.abort('early')]);
    log(early.aborted, early.reason);
    try { AbortSignal.any([{}]); } catch (e) { log(e.name); }
    try { AbortSignal.any(5); } catch (e) { log(e.name); }
  )"),
            "false false\na true true\nany\nnested\ntrue true\nfalse\ntrue early\nTypeError\n"
            "TypeError\n");
}

TEST_F(AbortSignalTest, TimeoutAbortsWithTimeoutErrorAndKeepsThePageAliveOnlyForListeners) {
  EXPECT_EQ(Run(R"(
    globalThis.t = AbortSignal.timeout(50);
    log(t.aborted);
    try { AbortSignal.timeout(-1); } catch (e) { log(e.name); }
    try { AbortSignal.timeout(); } catch (e) { log(e.name); }
  )"),
            "false\nTypeError\nTypeError\n");
  ASSERT_EQ(environment_.timers.size(), 1u);
  EXPECT_EQ(environment_.timers[0].delay_ms, 50u);
  EXPECT_EQ(environment_.timers[0].keep_alive, ScriptEnvironment::KeepAlive::kDoesNotKeepPageAlive);
  Run("globalThis.f = () => log('timeout', t.reason.name, t.reason.code); "
      "t.addEventListener('abort', f);");
  EXPECT_EQ(environment_.timers[0].keep_alive, ScriptEnvironment::KeepAlive::kKeepsPageAlive);
  Run("t.removeEventListener('abort', f)");
  EXPECT_EQ(environment_.timers[0].keep_alive, ScriptEnvironment::KeepAlive::kDoesNotKeepPageAlive);
  // A dependent signal's listener counts for its source's timeout.
  Run("globalThis.d = AbortSignal.any([t]); d.onabort = () => log('dependent', d.reason === "
      "t.reason);");
  EXPECT_EQ(environment_.timers[0].keep_alive, ScriptEnvironment::KeepAlive::kKeepsPageAlive);
  Run("t.addEventListener('abort', f)");
  environment_.lines.clear();
  environment_.RunPlatformTimers(context());
  EXPECT_EQ(environment_.lines,
            (std::vector<std::string>{"timeout TimeoutError 23", "dependent true"}));
  EXPECT_EQ(Run("log(t.aborted, d.aborted)"), "true true\n");
}

TEST_F(AbortSignalTest, PendingSignalsWithListenersSurviveGarbageCollection) {
  size_t before = ScriptWrappable::LiveObjectCountForTesting();
  Run(R"({
    const t = AbortSignal.timeout(10);
    t.addEventListener('abort', () => log('timeout listener kept'));
    globalThis.controller = new AbortController();
    const dependent = AbortSignal.any([controller.signal]);
    dependent.onabort = () => log('dependent listener kept');
    // Without listeners nothing needs to stay.
    for (let i = 0; i < 50; ++i) AbortSignal.any([AbortSignal.timeout(5), controller.signal]);
    undefined;  // the completion value would stay alive in the test's HandleScope
  })");
  CollectGarbage();
  EXPECT_EQ(Run("controller.abort()"), "dependent listener kept\n");
  environment_.lines.clear();
  environment_.RunPlatformTimers(context());
  EXPECT_EQ(environment_.lines, (std::vector<std::string>{"timeout listener kept"}));
  Run("delete globalThis.controller;");
  CollectGarbage();
  EXPECT_EQ(ScriptWrappable::LiveObjectCountForTesting(), before);
}

TEST_F(AbortSignalTest, ReasonReferringToItsSignalIsCollected) {
  size_t before = ScriptWrappable::LiveObjectCountForTesting();
  Run(R"({
    for (let i = 0; i < 50; ++i) {
      const c = new AbortController();
      const reason = {signal: c.signal, controller: c};
      c.signal.addEventListener('abort', () => { reason.seen = true; });
      new EventTarget().addEventListener('x', () => c, {signal: c.signal});
      c.abort(reason);
    }
    undefined;
  })");
  CollectGarbage();
  EXPECT_EQ(ScriptWrappable::LiveObjectCountForTesting(), before);
}

}  // namespace
}  // namespace switchboard::dom
