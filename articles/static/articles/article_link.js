// "Our articles": links to our own articles, stored by article rather than by
// address (data-article="<id>"), so they follow the article when its address
// changes, and disappear from the public page while it is not on the site.
//
// Text pasted from Word or Google Docs is cleaned up by the server first (the
// same clean-up as every save), so lists, headings, bold, italic and links
// survive, and the editor is told what was removed.
//
// Loaded by django-prose-editor (DJANGO_PROSE_EDITOR_EXTENSIONS in settings).
import { Link, Plugin } from "django-prose-editor/editor"

const element = (tag, attributes = {}, children = []) => {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value
    else node.setAttribute(name, value)
  }
  node.append(...children)
  return node
}

let dialogs = 0

// Ask which article to link to. Resolves with {id, title, url} or null.
const chooseArticle = (editor, searchUrl) =>
  new Promise((resolve) => {
    const id = `article-link-${++dialogs}`
    const input = element("input", {
      id: `${id}-search`,
      type: "search",
      autocomplete: "off",
      size: "40",
      "aria-describedby": `${id}-status`,
    })
    const status = element("p", {
      id: `${id}-status`,
      role: "status",
      text: "Type part of an article's title.",
    })
    const results = element("ul", { class: "article-link-results" })
    const cancel = element("button", { type: "button", text: "Cancel" })
    const dialog = element(
      "dialog",
      { class: "prose-editor-dialog", "aria-labelledby": `${id}-title` },
      [
        element("form", { method: "dialog" }, [
          element("h3", {
            id: `${id}-title`,
            class: "prose-editor-dialog-title",
            text: "Link to one of our articles",
          }),
          element("div", { class: "prose-editor-dialog-field" }, [
            element("label", { for: input.id, text: "Search by title" }),
            input,
          ]),
          status,
          results,
          element("div", { class: "prose-editor-dialog-buttons" }, [cancel]),
        ]),
      ],
    )
    let chosen = null
    let timer = null
    let asked = 0

    const show = (found) => {
      results.replaceChildren(
        ...found.map((article) => {
          const choose = element("button", {
            type: "button",
            text: article.live
              ? article.title
              : `${article.title} (not on the site yet)`,
          })
          choose.addEventListener("click", () => {
            chosen = article
            dialog.close()
          })
          return element("li", {}, [choose])
        }),
      )
      status.textContent = found.length
        ? `${found.length} found. Choose one to link to it.`
        : "No article has that in its title."
    }

    const search = async () => {
      const query = input.value.trim()
      const mine = ++asked
      if (!query) {
        results.replaceChildren()
        status.textContent = "Type part of an article's title."
        return
      }
      try {
        const response = await fetch(
          `${searchUrl}?${new URLSearchParams({ q: query })}`,
          { credentials: "same-origin", headers: { Accept: "application/json" } },
        )
        const answer = await response.json()
        if (mine !== asked) return // a later search has been asked meanwhile
        if (!response.ok) {
          status.textContent = answer.error || "The search did not work. Try again."
          return
        }
        show(answer.results)
      } catch {
        if (mine === asked)
          status.textContent = "The search did not work. Check your connection."
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(search, 250)
    })
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault()
        clearTimeout(timer)
        search()
      }
    })
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      dialog.remove()
      resolve(chosen)
    })
    editor.view.dom.parentElement.append(dialog)
    dialog.showModal()
    input.focus()
  })

// What Word and Google Docs put on the clipboard, and the editor does not.
const FROM_ANOTHER_DOCUMENT =
  /mso-|urn:schemas-microsoft-com|docs-internal-guid|<o:p>/i

const csrfToken = (editor) =>
  editor.view.dom.closest("form")?.querySelector("[name=csrfmiddlewaretoken]")
    ?.value || ""

// A line under the editor saying what the last paste lost, read out once.
const pasteNote = (editor) => {
  const container = editor.view.dom.closest(".prose-editor") || editor.view.dom
  let note = container.parentElement.querySelector(".article-paste-note")
  if (!note) {
    note = element("p", { class: "help article-paste-note", role: "status" })
    container.after(note)
  }
  return note
}

const cleanPaste = async (editor, url, html) => {
  const note = pasteNote(editor)
  note.textContent = "Cleaning up the pasted text…"
  try {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(editor), Accept: "application/json" },
      body: new URLSearchParams({ html }),
    })
    const answer = await response.json()
    if (!response.ok) {
      note.textContent = answer.error || "The pasted text could not be cleaned up."
      return
    }
    editor.chain().focus().insertContent(answer.html).run()
    note.textContent = answer.removed
  } catch {
    note.textContent =
      "The pasted text could not be cleaned up: check your connection and paste again."
  }
}

export const ArticleLink = Link.extend({
  addOptions() {
    return { ...this.parent?.(), searchUrl: "", cleanPasteUrl: "" }
  },

  addProseMirrorPlugins() {
    const editor = this.editor
    const url = this.options.cleanPasteUrl
    const paste = new Plugin({
      props: {
        handlePaste(_view, event) {
          const html = event.clipboardData?.getData("text/html") || ""
          if (!url || !FROM_ANOTHER_DOCUMENT.test(html)) return false
          event.preventDefault()
          cleanPaste(editor, url, html)
          return true
        },
      },
    })
    return [...(this.parent?.() || []), paste]
  },

  addAttributes() {
    return {
      ...this.parent?.(),
      article: {
        default: null,
        parseHTML: (node) => node.getAttribute("data-article"),
        renderHTML: (attributes) =>
          attributes.article ? { "data-article": attributes.article } : {},
      },
    }
  },

  addMenuItems(storage) {
    this.parent?.(storage)
    const { menu, buttons } = storage
    const searchUrl = this.options.searchUrl
    menu.defineItem({
      name: "articleLink",
      groups: "link",
      command(editor) {
        chooseArticle(editor, searchUrl).then((article) => {
          if (!article) return
          const attrs = { href: article.url, article: String(article.id) }
          if (editor.state.selection.empty && !editor.isActive("link")) {
            // Nothing selected: the article's title becomes the link text.
            editor
              .chain()
              .focus()
              .insertContent({
                type: "text",
                text: article.title,
                marks: [{ type: "link", attrs }],
              })
              .run()
          } else {
            editor.chain().focus().extendMarkRange("link").setLink(attrs).run()
          }
        })
      },
      button: buttons.text("Our articles", "Link to one of our articles"),
    })
  },
})
