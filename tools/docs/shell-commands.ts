/**
 * Commands of a shell block as word lists: quotes joined into words, `\`-continued lines joined, comments
 * and here-document bodies dropped, split at newlines, `;`, `&&`, `||` and `|`. Enough of sh for docs.
 */
export function shellCommands(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  let heredoc: string | undefined;
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const lines = text.split("\n");
  for (let l = 0; l < lines.length; l++) {
    let line = lines[l] as string;
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    for (let i = 0; i < line.length; i++) {
      const c = line[i] as string;
      if (c === "'" || c === '"') {
        let close = line.indexOf(c, i + 1);
        let quoted = line.slice(i + 1, close === -1 ? undefined : close);
        // A quote left open goes on over the following lines.
        while (close === -1 && l + 1 < lines.length) {
          line = lines[++l] as string;
          close = line.indexOf(c);
          quoted += `\n${line.slice(0, close === -1 ? undefined : close)}`;
          i = -1;
        }
        word = (word ?? "") + quoted;
        i = close === -1 ? line.length : close;
      } else if (c === "\\" && i === line.length - 1) {
        endWord();
      } else if (c === "#" && word === undefined) {
        break;
      } else if (c === " " || c === "\t") {
        endWord();
      } else if (c === ";" || c === "|" || (c === "&" && line[i + 1] === "&")) {
        if (line[i + 1] === c) i++;
        endCommand();
      } else if (c === "<" && line.startsWith("<<", i)) {
        const m = /^<<-?\s*['"]?(\w+)['"]?/.exec(line.slice(i));
        if (m) {
          heredoc = m[1];
          i += (m[0] as string).length - 1;
        }
      } else {
        word = (word ?? "") + c;
      }
    }
    if (!line.endsWith("\\")) endCommand();
  }
  endCommand();
  return commands;
}
