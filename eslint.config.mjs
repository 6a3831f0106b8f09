// ESLint for the project's JavaScript: the browser files, the site's scripts, the
// bench's pages and the Pyodide test runner (Node).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["site/**", "node_modules/**", ".cache/**", ".venv/**"] },
  js.configs.recommended,
  { rules: { "no-unused-vars": ["error", { argsIgnorePattern: "^_" }] } },
  {
    files: ["web/**/*.{js,mjs}", "docs/**/*.js", "bench/static/**/*.{js,mjs}"],
    languageOptions: { globals: { ...globals.browser, ...globals.worker, document$: "readonly", location$: "readonly" } },
  },
  {
    files: ["tests/**/*.mjs"],
    languageOptions: { globals: { ...globals.node } },
  },
];
