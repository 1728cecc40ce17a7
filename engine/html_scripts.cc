#include "engine/html_scripts.h"

#include <algorithm>
#include <cctype>

#include <gumbo.h>

#include "base/ascii.h"

namespace switchboard {

namespace {

std::string Trimmed(std::string_view text) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return AsciiLowercase(text);
}

// HTML "prepare the script element", step 8: the JavaScript MIME type essence matches.
bool IsClassicScriptType(const GumboElement& element) {
  const GumboAttribute* type = gumbo_get_attribute(&element.attributes, "type");
  const GumboAttribute* language = gumbo_get_attribute(&element.attributes, "language");
  if (!type || Trimmed(type->value).empty()) {
    return !language || Trimmed(language->value).empty() ||
           Trimmed(language->value) == "javascript";
  }
  static constexpr std::string_view kJavaScriptTypes[] = {"text/javascript",
                                                          "application/javascript",
                                                          "application/ecmascript",
                                                          "application/x-javascript",
                                                          "text/ecmascript",
                                                          "text/x-javascript",
                                                          "text/jscript",
                                                          "text/livescript",
                                                          "application/x-ecmascript"};
  std::string essence = Trimmed(type->value);
  essence = essence.substr(0, essence.find(';'));
  return std::find(std::begin(kJavaScriptTypes), std::end(kJavaScriptTypes), essence) !=
         std::end(kJavaScriptTypes);
}

void Collect(const GumboNode* node, std::vector<ScriptElement>& scripts) {
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return;
  const GumboElement& element = node->v.element;
  if (node->type == GUMBO_NODE_TEMPLATE) return;  // template contents are inert
  if (element.tag == GUMBO_TAG_SCRIPT) {
    ScriptElement script{ScriptElement::Kind::kInline, "", 0, 0};
    if (!IsClassicScriptType(element)) {
      const GumboAttribute* type = gumbo_get_attribute(&element.attributes, "type");
      if (type && Trimmed(type->value) == "module") {
        script.kind = ScriptElement::Kind::kUnsupported;
        script.text = "module";
        scripts.push_back(std::move(script));
      }
      return;  // data blocks (type="text/plain", JSON, ...) are not scripts
    }
    if (const GumboAttribute* src = gumbo_get_attribute(&element.attributes, "src")) {
      script.kind = ScriptElement::Kind::kExternal;
      script.text = src->value;
      script.line = static_cast<int>(element.start_pos.line) - 1;
    } else {
      script.line = static_cast<int>(element.end_pos.line) - 1;  // fallback: empty script
      bool first = true;
      for (unsigned i = 0; i < element.children.length; ++i) {
        auto* child = static_cast<const GumboNode*>(element.children.data[i]);
        if (child->type != GUMBO_NODE_TEXT && child->type != GUMBO_NODE_WHITESPACE &&
            child->type != GUMBO_NODE_CDATA) {
          continue;
        }
        if (first) {
          script.line = static_cast<int>(child->v.text.start_pos.line) - 1;
          script.column = static_cast<int>(child->v.text.start_pos.column) - 1;
          first = false;
        }
        script.text += child->v.text.text;
      }
    }
    scripts.push_back(std::move(script));
    return;
  }
  for (unsigned i = 0; i < element.children.length; ++i) {
    Collect(static_cast<const GumboNode*>(element.children.data[i]), scripts);
  }
}

}  // namespace

std::vector<ScriptElement> ExtractScripts(std::string_view html) {
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  std::vector<ScriptElement> scripts;
  Collect(output->root, scripts);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return scripts;
}

}  // namespace switchboard
