/**
 * The copy button on a block's code (`button.rb-copy`, baked hidden by
 * src/render/to-hast.ts), as progressive enhancement: shown only here, it
 * needs no live endpoint, and without JavaScript the code is still there to
 * select. It copies what is shown, an edit in progress included, and says so
 * in the button ("Copied", announced politely).
 */
export const bindCopy = (figure: HTMLElement) => {
  for (const button of figure.querySelectorAll<HTMLButtonElement>('.rb-copy')) {
    const box = button.parentElement!
    // The live runner edits in a textarea beside this same element, which it only hides.
    const code = box.querySelector('code')!
    button.onclick = () =>
      navigator.clipboard
        .writeText(box.querySelector('textarea')?.value ?? code.textContent!)
        // Without clipboard access (an http: page), the code is selected for the reader to copy.
        .then(() => 'Copied', () => (getSelection()!.selectAllChildren(code), 'Selected'))
        .then((done) => {
          button.textContent = done
          // Back to its name a moment later (not on blur: a clipboard write may blur the window).
          setTimeout(() => (button.textContent = 'Copy'), 2000)
        })
    button.hidden = false
  }
}
