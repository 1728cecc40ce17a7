#include "engine/page_loader.h"

#include <memory>
#include <optional>
#include <vector>

#include "engine/html_scripts.h"

namespace switchboard {

namespace {

// HTML's parser-blocking classic scripts, without blocking the event loop: every external
// script is requested at once (a browser's preload scanner does the same), and the scripts
// run strictly in document order — each as soon as it and every script before it are ready.
// While one is still loading the page's event loop goes on (timers, connection events).
class DocumentScripts : public std::enable_shared_from_this<DocumentScripts> {
 public:
  DocumentScripts(Page& page, PageUrl document_url, std::vector<ScriptElement> scripts)
      : page_(page),
        document_url_(std::move(document_url)),
        document_name_(document_url_.DisplayName()),
        scripts_(std::move(scripts)),
        sources_(scripts_.size()) {}

  void Start() {
    for (std::size_t i = 0; i < scripts_.size(); ++i) {
      if (scripts_[i].kind != ScriptElement::Kind::kExternal) continue;
      Result<PageUrl> source_url = document_url_.Resolve(scripts_[i].text);
      if (!source_url.ok()) {
        sources_[i] = Error{source_url.error().stage, "<script src> " + source_url.error().message};
        continue;
      }
      LoadResource(
          page_, source_url.value(), "script",
          [self = shared_from_this(), i](Result<Resource> loaded) {
            if (!loaded.ok()) {
              loaded = Error{loaded.error().stage, "<script src>: " + loaded.error().message};
            }
            self->sources_[i] = std::move(loaded);
            self->RunReady();
          });
    }
    RunReady();
  }

 private:
  void RunReady() {
    while (next_ < scripts_.size() && !page_.terminated()) {
      const ScriptElement& script = scripts_[next_];
      std::string where = document_name_ + ":" + std::to_string(script.line + 1);
      switch (script.kind) {
        case ScriptElement::Kind::kInline:
          page_.EvaluateScript(script.text, {document_name_, script.line, script.column});
          break;
        case ScriptElement::Kind::kExternal: {
          if (!sources_[next_]) return;  // still loading: its task will go on from here
          const Result<Resource>& source = *sources_[next_];
          if (!source.ok()) {
            // Like a <script> whose fetch fails in a browser: reported, skipped.
            page_.ReportLoadError(where + ": " + source.error().message);
            break;
          }
          page_.EvaluateScript(source.value().body, {source.value().url.DisplayName(), 0, 0});
          sources_[next_].reset();  // the text is V8's now
          break;
        }
        case ScriptElement::Kind::kUnsupported:
          page_.PrintToConsole(bindings::ConsoleLevel::kWarn,
                               where + ": <script type=\"module\"> is not supported; skipped");
          break;
      }
      ++next_;
    }
  }

  Page& page_;
  PageUrl document_url_;
  std::string document_name_;
  std::vector<ScriptElement> scripts_;
  // External scripts, once loaded; a failure's message already says "<script src>".
  std::vector<std::optional<Result<Resource>>> sources_;
  std::size_t next_ = 0;
};

}  // namespace

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
  if (KindOf(document) == DocumentKind::kScript) {
    page.EvaluateScript(document.body, {document.url.DisplayName(), 0, 0});
    return;
  }
  std::make_shared<DocumentScripts>(page, document.url, ExtractScripts(document.body))->Start();
}

}  // namespace switchboard
