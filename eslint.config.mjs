import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/** The seams of the media package (DESIGN.md): who may import whom. */
const NMS = {
  group: ["node-media-server", "node-media-server/**"],
  message: "Only packages/media/src/nms/ wraps node-media-server.",
};
const mediaBoundaries = [
  {
    files: ["packages/media/src/**/*.ts"],
    ignores: ["packages/media/src/nms/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [NMS] }] },
  },
  {
    files: ["packages/media/src/edge/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            NMS,
            {
              group: ["**/nms/**"],
              message: "edge/ serves viewers from tags; RTMP parsing stays in ingest/ and nms/.",
            },
            {
              group: ["**/live-state/**"],
              message: "edge/ reads the stream API contract (api/), not Broadcast rows.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/media/src/ingest/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            NMS,
            { group: ["**/edge/**"], message: "ingest/ hands tags to a Publication; it knows no viewer." },
          ],
        },
      ],
    },
  },
  {
    // Pure wire formats and contracts: bytes in, values out; no sockets, no logger, no timers.
    files: ["packages/media/src/{flv,amf,rtmp,api}/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            NMS,
            {
              group: [
                "node:*",
                "@relaycast/logger",
                "ws",
                "ioredis",
                "**/edge/**",
                "**/ingest/**",
                "**/live-state/**",
              ],
              message: "Wire formats are pure: no I/O, no logger, no state.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        ...["setTimeout", "setInterval", "setImmediate", "queueMicrotask", "process"].map((name) => ({
          name,
          message: "Wire formats are pure: no timers, no process state.",
        })),
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.next/**",
      "**/.turbo/**",
      "**/dist/**",
      "**/next-env.d.ts",
      "packages/db/src/generated/**",
      "data/**",
      "e2e/test-results/**",
      "e2e/playwright-report/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "no-console": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["apps/web/**/*.tsx"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...mediaBoundaries,
);
