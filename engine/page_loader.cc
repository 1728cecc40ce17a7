#include "engine/page_loader.h"

#include "engine/html_scripts.h"

namespace switchboard {

DocumentKind KindOf(const Resource& resource) {
  std::string_view type = resource.content_type;
  if (type.find("html") != std::string_view::npos) return DocumentKind::kHtml;
  if (type.find("javascript") != std::string_view::npos ||
      type.find("ecmascript") != std::string_view::npos) {
    return DocumentKind::kScript;
  }
  std::string_view path = resource.url.path;
  if (path.ends_with(".html") || path.ends_with(".htm") || path.ends_with("/")) {
    return DocumentKind::kHtml;
  }
  return DocumentKind::kScript;
}

void RunDocument(Page& page, const Resource& document) {
  std::string document_name = document.url.DisplayName();
  if (KindOf(document) == DocumentKind::kScript) {
    page.EvaluateScript(document.body, {document_name, 0, 0});
    return;
  }
  for (const ScriptElement& script : ExtractScripts(document.body)) {
    switch (script.kind) {
      case ScriptElement::Kind::kInline:
        page.EvaluateScript(script.text, {document_name, script.line, script.column});
        break;
      case ScriptElement::Kind::kExternal: {
        Result<PageUrl> source_url = document.url.Resolve(script.text);
        if (!source_url.ok()) {
          page.ReportLoadError(document_name + ":" + std::to_string(script.line + 1) +
                               ": <script src> " + source_url.error().message);
          break;
        }
        Result<Resource> source =
            LoadResource(source_url.value(), page.settings(), page.cookie_jar().get());
        if (!source.ok()) {
          page.ReportLoadError(document_name + ":" + std::to_string(script.line + 1) +
                               ": <script src>: " + source.error().message);
          break;
        }
        page.EvaluateScript(source.value().body, {source.value().url.DisplayName(), 0, 0});
        break;
      }
      case ScriptElement::Kind::kUnsupported:
        page.PrintToConsole(bindings::ConsoleLevel::kWarn,
                            document_name + ":" + std::to_string(script.line + 1) +
                                ": <script type=\"module\"> is not supported; skipped");
        break;
    }
  }
}

}  // namespace switchboard
