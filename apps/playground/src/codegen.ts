import type { PlaygroundConfig } from "./config.js";

const RK_CELL: Record<PlaygroundConfig["cell"], string> = { "rnn-tanh": "RNN", "rnn-relu": "RNN", lstm: "LSTM", gru: "GRU" };
const RK_OPT: Record<PlaygroundConfig["optimizer"], [string, string]> = {
  adam: ["Adam", "Adam"],
  adamw: ["AdamW", "AdamW"],
  sgd: ["SGD", "SGD"],
  rmsprop: ["RMSprop", "RMSprop"],
};

function rkRnnOptions(c: PlaygroundConfig): string {
  const parts = [`numLayers: ${c.numLayers}`, "batchFirst: true"];
  if (c.cell === "rnn-relu") parts.push(`nonlinearity: "relu"`);
  if (c.bidirectional) parts.push("bidirectional: true");
  return `{ ${parts.join(", ")} }`;
}

function pyRnnOptions(c: PlaygroundConfig): string {
  const parts = [`num_layers=${c.numLayers}`, "batch_first=True"];
  if (c.cell === "rnn-relu") parts.push(`nonlinearity="relu"`);
  if (c.bidirectional) parts.push("bidirectional=True");
  return parts.join(", ");
}

function pyOptimizer(c: PlaygroundConfig): string {
  const extra = c.optimizer === "sgd" ? ", momentum=0.9" : "";
  return `torch.optim.${RK_OPT[c.optimizer][1]}(model.parameters(), lr=${c.lr}${extra})`;
}
function rkOptimizer(c: PlaygroundConfig): string {
  const extra = c.optimizer === "sgd" ? ", momentum: 0.9" : "";
  return `new rk.optim.${RK_OPT[c.optimizer][0]}(model.parameters(), { lr: ${c.lr}${extra} })`;
}

/** Per task: input size, outputs, and the data/loss/loop code in both languages. */
function taskParts(c: PlaygroundConfig) {
  switch (c.task) {
    case "hello":
      return {
        vocab: "4",
        outputs: "4",
        rkData: `const x = rk.tensor([[2, 0, 1, 1, 3]], { dtype: "int32" }); // "hello", idx2char = e, l, h, o\nconst y = rk.tensor([3, 2, 1, 3, 1], { dtype: "int32" });     // "ohlol"`,
        pyData: `x = torch.tensor([[2, 0, 1, 1, 3]])  # "hello", idx2char = e, l, h, o\ny = torch.tensor([3, 2, 1, 3, 1])    # "ohlol"`,
        rkLoop: `for (let epoch = 1; epoch <= 15; epoch++) {\n  optimizer.zeroGrad();\n  const out = model.forward(x).reshape([-1, 4]);\n  const loss = rk.F.crossEntropy(out, y);\n  loss.backward();\n  optimizer.step();\n  const idx = out.argmax(1).data();\n  console.log(\`Predicted: \${Array.from(idx, (i) => "elho"[i]).join("")}, Epoch [\${epoch}/15] loss=\${loss.item().toFixed(4)}\`);\n}`,
        pyLoop: `for epoch in range(1, 16):\n    optimizer.zero_grad()\n    out = model(x).reshape(-1, 4)\n    loss = F.cross_entropy(out, y)\n    loss.backward()\n    optimizer.step()\n    idx = out.argmax(1)\n    print(f"Predicted: {''.join('elho'[i] for i in idx)}, Epoch [{epoch}/15] loss={loss.item():.4f}")`,
      };
    case "sine":
      return {
        vocab: "1",
        outputs: "1",
        rkData: `// Same random stream as torch.rand for the same seed, so both programs see the same waves.\nfunction batch(n: number, T = ${c.seqLen}) {\n  const f = rk.rand([n, 1]).mul(0.3).add(0.1);\n  const p = rk.rand([n, 1]).mul(2 * Math.PI);\n  const t = rk.arange(T + 1).float();\n  const wave = f.mul(t).add(p).sin();\n  return [wave.narrow(1, 0, T).unsqueeze(2), wave.narrow(1, 1, T).unsqueeze(2)] as const;\n}`,
        pyData: `def batch(n, T=${c.seqLen}):\n    f = 0.1 + 0.3 * torch.rand(n, 1)\n    p = 2 * math.pi * torch.rand(n, 1)\n    t = torch.arange(T + 1).float()\n    wave = torch.sin(f * t + p)\n    return wave[:, :-1, None], wave[:, 1:, None]`,
        rkLoop: `for (let step = 1; step <= 500; step++) {\n  const [x, y] = batch(${c.batchSize});\n  optimizer.zeroGrad();\n  const loss = rk.F.mseLoss(model.forward(x), y);\n  loss.backward();\n  optimizer.step();\n  if (step % 50 === 0) console.log(\`step \${step} loss=\${loss.item().toFixed(5)}\`);\n}`,
        pyLoop: `for step in range(1, 501):\n    x, y = batch(${c.batchSize})\n    optimizer.zero_grad()\n    loss = F.mse_loss(model(x), y)\n    loss.backward()\n    optimizer.step()\n    if step % 50 == 0:\n        print(f"step {step} loss={loss.item():.5f}")`,
      };
    case "text":
      return {
        vocab: "vocab.size",
        outputs: "vocab.size",
        rkData: `import { readFileSync } from "node:fs";\nconst text = readFileSync("input.txt", "utf8");\nconst vocab = rk.data.CharVocab.fit(text);\nconst ids = vocab.encode(text);\nfunction batch(n: number, T = ${c.seqLen}) {\n  const starts = rk.randint(0, ids.shape[0]! - T - 1, [n]).data();\n  const x = rk.stack(Array.from(starts, (s) => ids.narrow(0, s, T)));\n  const y = rk.stack(Array.from(starts, (s) => ids.narrow(0, s + 1, T)));\n  return [x, y] as const;\n}`,
        pyData: `text = open("input.txt", encoding="utf8").read()\nchars = sorted(set(text))\nstoi = {ch: i for i, ch in enumerate(chars)}\nids = torch.tensor([stoi[ch] for ch in text])\nclass Vocab: size = len(chars)\nvocab = Vocab()\ndef batch(n, T=${c.seqLen}):\n    starts = torch.randint(0, len(ids) - T - 1, (n,))\n    x = torch.stack([ids[s:s + T] for s in starts])\n    y = torch.stack([ids[s + 1:s + 1 + T] for s in starts])\n    return x, y`,
        rkLoop: `for (let step = 1; step <= 2000; step++) {\n  const [x, y] = batch(${c.batchSize});\n  optimizer.zeroGrad();\n  const loss = rk.F.crossEntropy(model.forward(x).reshape([-1, vocab.size]), y.reshape([-1]));\n  loss.backward();\n  rk.nn.utils.clipGradNorm(model.parameters(), 5);\n  optimizer.step();\n  if (step % 100 === 0) console.log(\`step \${step} loss=\${loss.item().toFixed(4)}\`);\n}`,
        pyLoop: `for step in range(1, 2001):\n    x, y = batch(${c.batchSize})\n    optimizer.zero_grad()\n    loss = F.cross_entropy(model(x).reshape(-1, vocab.size), y.reshape(-1))\n    loss.backward()\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 5)\n    optimizer.step()\n    if step % 100 == 0:\n        print(f"step {step} loss={loss.item():.4f}")`,
      };
    case "wordOrigin":
      return {
        vocab: "alphabet.length",
        outputs: "labelNames.length",
        rkData: `// words.csv: one "word,label" per line\nimport { readFileSync } from "node:fs";\nconst rows = readFileSync("words.csv", "utf8").trim().split("\\n").map((l) => l.split(","));\nconst alphabet = [...new Set(rows.flatMap(([w]) => [...w!]))].sort();\nconst labelNames = [...new Set(rows.map(([, l]) => l!))].sort();\nfunction batch(n: number) {\n  const pick = Array.from(rk.randint(0, rows.length, [n]).data(), (i) => rows[i]!);\n  const seqs = pick.map(([w]) => rk.tensor([...w!].map((ch) => alphabet.indexOf(ch)), { dtype: "int32" }));\n  const lengths = seqs.map((s) => s.shape[0]!);\n  const x = rk.nn.utils.rnn.padSequence(seqs, { batchFirst: true });\n  const y = rk.tensor(pick.map(([, l]) => labelNames.indexOf(l!)), { dtype: "int32" });\n  return { x, y, lengths };\n}`,
        pyData: `# words.csv: one "word,label" per line\nrows = [line.strip().split(",") for line in open("words.csv", encoding="utf8") if line.strip()]\nalphabet = sorted({ch for w, _ in rows for ch in w})\nlabel_names = sorted({l for _, l in rows})\ndef batch(n):\n    pick = [rows[i] for i in torch.randint(0, len(rows), (n,))]\n    seqs = [torch.tensor([alphabet.index(ch) for ch in w]) for w, _ in pick]\n    lengths = [len(s) for s in seqs]\n    x = nn.utils.rnn.pad_sequence(seqs, batch_first=True)\n    y = torch.tensor([label_names.index(l) for _, l in pick])\n    return x, y, lengths`,
        rkLoop: `for (let step = 1; step <= 2000; step++) {\n  const { x, y, lengths } = batch(${c.batchSize});\n  optimizer.zeroGrad();\n  const loss = rk.F.crossEntropy(model.classify(x, lengths), y);\n  loss.backward();\n  optimizer.step();\n  if (step % 100 === 0) console.log(\`step \${step} loss=\${loss.item().toFixed(4)}\`);\n}`,
        pyLoop: `for step in range(1, 2001):\n    x, y, lengths = batch(${c.batchSize})\n    optimizer.zero_grad()\n    loss = F.cross_entropy(model.classify(x, lengths), y)\n    loss.backward()\n    optimizer.step()\n    if step % 100 == 0:\n        print(f"step {step} loss={loss.item():.4f}")`,
      };
  }
}

/** Runnable rnnkit (TypeScript) code equivalent to the playground's current configuration. */
export function rnnkitCode(c: PlaygroundConfig): string {
  const t = taskParts(c);
  const emb = c.input === "embedding" && c.task !== "sine";
  const inSize = emb ? String(c.embeddingDim) : t.vocab;
  const dirs = c.bidirectional ? 2 : 1;
  const isLstm = c.cell === "lstm";
  const classify = c.task === "wordOrigin";
  const encode = c.task === "sine" ? "x" : emb ? "this.embedding.forward(x)" : `rk.F.oneHot(x, ${t.vocab}).float()`;
  const lines = [
    `import * as rk from "rnnkit";`,
    ``,
    `rk.manualSeed(${c.seed});`,
    t.rkData,
    ``,
    `class Net extends rk.nn.Module {`,
    ...(emb ? [`  embedding = new rk.nn.Embedding(${t.vocab}, ${c.embeddingDim});`] : []),
    `  rnn = new rk.nn.${RK_CELL[c.cell]}(${inSize}, ${c.hiddenSize}, ${rkRnnOptions(c)});`,
    `  fc = new rk.nn.Linear(${c.hiddenSize * dirs}, ${t.outputs});`,
    `  forward(x: rk.Tensor): rk.Tensor {`,
    `    const [out] = this.rnn.forward(${encode});`,
    `    return this.fc.forward(out as rk.Tensor);`,
    `  }`,
    ...(classify
      ? [
          `  classify(x: rk.Tensor, lengths: number[]): rk.Tensor {`,
          `    const packed = rk.nn.utils.rnn.packPaddedSequence(${encode}, lengths, { batchFirst: true, enforceSorted: false });`,
          isLstm ? `    const [, [h]] = this.rnn.forward(packed);` : `    const [, h] = this.rnn.forward(packed);`,
          c.bidirectional
            ? `    const last = rk.cat([h.select(0, -2), h.select(0, -1)], 1);`
            : `    const last = h.select(0, -1);`,
          `    return this.fc.forward(last);`,
          `  }`,
        ]
      : []),
    `}`,
    ``,
    `const model = new Net();`,
    `const optimizer = ${rkOptimizer(c)};`,
    t.rkLoop,
  ];
  return lines.join("\n") + "\n";
}

/** Runnable PyTorch code for the same configuration. */
export function pytorchCode(c: PlaygroundConfig): string {
  const t = taskParts(c);
  const emb = c.input === "embedding" && c.task !== "sine";
  const inSize = emb ? String(c.embeddingDim) : t.vocab;
  const dirs = c.bidirectional ? 2 : 1;
  const isLstm = c.cell === "lstm";
  const classify = c.task === "wordOrigin";
  const pyVocab = t.vocab === "alphabet.length" ? "len(alphabet)" : t.vocab;
  const pyOut = t.outputs === "labelNames.length" ? "len(label_names)" : t.outputs;
  const encode = c.task === "sine" ? "x" : emb ? "self.embedding(x)" : `F.one_hot(x, ${pyVocab}).float()`;
  const lines = [
    `import math`,
    `import torch`,
    `import torch.nn as nn`,
    `import torch.nn.functional as F`,
    ``,
    `torch.manual_seed(${c.seed})`,
    t.pyData,
    ``,
    ``,
    `class Net(nn.Module):`,
    `    def __init__(self):`,
    `        super().__init__()`,
    ...(emb ? [`        self.embedding = nn.Embedding(${pyVocab}, ${c.embeddingDim})`] : []),
    `        self.rnn = nn.${RK_CELL[c.cell]}(${inSize === "alphabet.length" ? "len(alphabet)" : inSize}, ${c.hiddenSize}, ${pyRnnOptions(c)})`,
    `        self.fc = nn.Linear(${c.hiddenSize * dirs}, ${pyOut})`,
    ``,
    `    def forward(self, x):`,
    `        out, _ = self.rnn(${encode})`,
    `        return self.fc(out)`,
    ...(classify
      ? [
          ``,
          `    def classify(self, x, lengths):`,
          `        packed = nn.utils.rnn.pack_padded_sequence(${encode}, lengths, batch_first=True, enforce_sorted=False)`,
          isLstm ? `        _, (h, _) = self.rnn(packed)` : `        _, h = self.rnn(packed)`,
          c.bidirectional ? `        last = torch.cat([h[-2], h[-1]], 1)` : `        last = h[-1]`,
          `        return self.fc(last)`,
        ]
      : []),
    ``,
    ``,
    `model = Net()`,
    `optimizer = ${pyOptimizer(c)}`,
    t.pyLoop,
  ];
  return lines.join("\n") + "\n";
}
