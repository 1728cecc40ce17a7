// Running a loaded document: a .js resource is one classic script; an HTML document's
// classic <script> elements run in document order, inline or external (src resolved
// against the document URL), each followed by a microtask checkpoint.
#pragma once

#include "engine/page.h"
#include "engine/resource_loader.h"

namespace switchboard {

enum class DocumentKind { kHtml, kScript };

// Decides by Content-Type when there is one, else by the URL's extension.
DocumentKind KindOf(const Resource& resource);

// Runs the document's scripts on `page`, in document order. External scripts load through the
// page's network (all requested at once) while the page's event loop goes on; each runs when
// it and every script before it are ready. A script that fails to load is reported through
// Page::ReportLoadError and skipped, like a <script> whose fetch fails in a browser.
void RunDocument(Page& page, const Resource& document);

}  // namespace switchboard
