/**
 * `npm run example -- <name> [flags]`: runs examples/<name>.ts.
 */
export {};

const examples = ['mnist-cnn', 'mnist-mlp', 'mnist-rmsprop', 'binary-classifier', 'lstm-sine', 'xor', 'autograd-basics'] as const;

const [name, ...flags] = process.argv.slice(2);
if (!name || !(examples as readonly string[]).includes(name)) {
  console.error(`usage: npm run example -- <name> [flags]\nexamples: ${examples.join(', ')}`);
  process.exit(name ? 1 : 0);
}
const example = (await import(`./${name}.ts`)) as { main: (argv: string[]) => unknown };
example.main(flags);
