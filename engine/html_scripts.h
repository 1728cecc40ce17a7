// ExtractScripts: the classic <script> elements of an HTML document, in document order,
// found with gumbo (a real HTML5 parser). Pure: bytes in, script descriptions out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace switchboard {

struct ScriptElement {
  enum class Kind { kInline, kExternal, kUnsupported };
  Kind kind;
  std::string text;  // inline source, the src attribute, or the unsupported type
  int line = 0;      // 0-based position of the inline text in the document
  int column = 0;
};

std::vector<ScriptElement> ExtractScripts(std::string_view html);

}  // namespace switchboard
