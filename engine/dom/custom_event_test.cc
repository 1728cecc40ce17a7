// CustomEvent in V8 (DOM §2.4): detail conversion and, above all, its lifetime — a detail is
// kept exactly as long as its event's wrapper, so a detail that refers back to its event is
// collected with it.
#include <gtest/gtest.h>

#include "bindings/script_wrappable.h"
#include "bindings/testing/v8_test_environment.h"

namespace switchboard::dom {
namespace {

using CustomEventTest = bindings::testing::V8Test;
using bindings::ScriptWrappable;

TEST_F(CustomEventTest, DetailDefaultsToNullAndKeepsAnyValue) {
  EXPECT_EQ(Run(R"(
    log(new CustomEvent('x').detail, new CustomEvent('x', {detail: undefined}).detail);
    const o = {};
    log(new CustomEvent('x', {detail: o}).detail === o, new CustomEvent('x', {detail: 7}).detail);
    const e = new CustomEvent('x', {detail: 'a'});
    e.initCustomEvent('y', false, false, o);
    log(e.type, e.detail === o);
    e.initCustomEvent('z');
    log(e.detail);
  )"),
            "null null\ntrue 7\ny true\nnull\n");
}

TEST_F(CustomEventTest, DetailLivesAsLongAsTheEventWrapper) {
  size_t before = ScriptWrappable::LiveObjectCountForTesting();
  Run(R"({
    globalThis.kept = new CustomEvent('x', {detail: {text: 'kept'}});
    for (let i = 0; i < 100; ++i) {
      const e = new CustomEvent('x', {detail: {}});
      e.detail.self = e;  // a cycle through the detail
      const t = new EventTarget();
      t.addEventListener('x', () => {});
      t.dispatchEvent(e);
    }
  })");
  CollectGarbage();
  EXPECT_EQ(ScriptWrappable::LiveObjectCountForTesting(), before + 1);
  EXPECT_EQ(Run("log(kept.detail.text)"), "kept\n");
  Run("delete globalThis.kept;");
  CollectGarbage();
  EXPECT_EQ(ScriptWrappable::LiveObjectCountForTesting(), before);
}

}  // namespace
}  // namespace switchboard::dom
