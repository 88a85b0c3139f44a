import { describe, expect, it } from "vitest";
import { randn, tensor, zeros } from "@rnnkit/autograd";
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell, utils } from "@rnnkit/nn";

describe("recurrent constructors reject bad options like torch", () => {
  it("dropout outside [0, 1]", () => {
    expect(() => new LSTM(3, 4, { dropout: 1.5 })).toThrow("LSTM: dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got 1.5");
    expect(() => new GRU(3, 4, { dropout: -0.1 })).toThrow(/GRU: dropout should be a number in range \[0, 1\].*got -0.1/);
    expect(() => new RNN(3, 4, { dropout: NaN })).toThrow(/RNN: dropout/);
  });
  it("dropout with one layer is allowed (torch only warns)", () => {
    expect(new LSTM(3, 4, { dropout: 0.5 }).dropout).toBe(0.5);
  });
  it("projSize out of range", () => {
    expect(() => new LSTM(3, 4, { projSize: -1 })).toThrow("LSTM: projSize should be a positive integer or zero to disable projections, got -1");
    expect(() => new LSTM(3, 4, { projSize: 4 })).toThrow("LSTM: projSize (4) has to be smaller than hiddenSize (4)");
    expect(() => new LSTM(3, 4, { projSize: 7 })).toThrow(/has to be smaller than hiddenSize/);
  });
  it("projSize on RNN or GRU", () => {
    expect(() => new GRU(3, 4, { projSize: 2 } as never)).toThrow("GRU: projSize is only supported for LSTM, not RNN or GRU");
    expect(() => new RNN(3, 4, { projSize: 1 } as never)).toThrow("RNN: projSize is only supported for LSTM, not RNN or GRU");
  });
  it("bad sizes and nonlinearity", () => {
    expect(() => new LSTM(3, 0)).toThrow("LSTM: hiddenSize must be an integer >= 1, got 0");
    expect(() => new GRU(3, 4, { numLayers: 0 })).toThrow("GRU: numLayers must be an integer >= 1, got 0");
    expect(() => new RNN(2.5, 4)).toThrow("RNN: inputSize must be an integer >= 0, got 2.5");
    expect(() => new RNN(3, 4, { nonlinearity: "sigmoid" as "tanh" })).toThrow("RNN: unknown nonlinearity 'sigmoid', select from 'tanh' or 'relu'");
    expect(() => new RNNCell(3, 4, { nonlinearity: "gelu" as "tanh" })).toThrow("RNNCell: unknown nonlinearity 'gelu'");
    expect(() => new GRUCell(3, -2)).toThrow("GRUCell: hiddenSize must be an integer >= 1, got -2");
  });
});

describe("recurrent forward rejects bad inputs with shapes in the message", () => {
  it("input rank", () => {
    expect(() => new LSTM(4, 5).forward(randn([4]))).toThrow("LSTM.forward: input must be 2-D or 3-D, got shape [4]");
    expect(() => new GRU(4, 5).forward(randn([1, 2, 3, 4]))).toThrow("GRU.forward: input must be 2-D or 3-D, got shape [1, 2, 3, 4]");
  });
  it("input size", () => {
    expect(() => new LSTM(4, 5).forward(randn([3, 2, 3]))).toThrow("LSTM.forward: input.size(-1) must be equal to inputSize, expected 4, got 3 (input shape [3, 2, 3])");
    const p = utils.rnn.packSequence([randn([2, 3])]);
    expect(() => new RNN(4, 5).forward(p)).toThrow("RNN.forward: input.size(-1) must be equal to inputSize, expected 4, got 3 (packed data shape [2, 3])");
  });
  it("empty sequence", () => {
    expect(() => new RNN(4, 5).forward(zeros([0, 2, 4]))).toThrow("RNN.forward: expected sequence length to be larger than 0, got input shape [0, 2, 4]");
  });
  it("h0 / c0 of the wrong shape", () => {
    const lstm = new LSTM(4, 5, { numLayers: 2 });
    const x = randn([3, 2, 4]);
    expect(() => lstm.forward(x, [zeros([2, 3, 5]), zeros([2, 2, 5])])).toThrow("LSTM.forward: expected hx of shape [2, 2, 5], got [2, 3, 5]");
    expect(() => lstm.forward(x, [zeros([2, 2, 5]), zeros([2, 2, 4])])).toThrow("LSTM.forward: expected cx of shape [2, 2, 5], got [2, 2, 4]");
    expect(() => new GRU(4, 5, { bidirectional: true }).forward(x, zeros([1, 2, 5]))).toThrow("GRU.forward: expected hx of shape [2, 2, 5], got [1, 2, 5]");
    const proj = new LSTM(4, 5, { projSize: 2 });
    expect(() => proj.forward(x, [zeros([1, 2, 5]), zeros([1, 2, 5])])).toThrow("LSTM.forward: expected hx of shape [1, 2, 2], got [1, 2, 5]");
    expect(() => lstm.forward(x, [zeros([2, 2, 5])] as never)).toThrow("LSTM.forward: the initial state must be a pair [h0, c0], got 1 tensor(s)");
  });
  it("state rank must match batchedness", () => {
    const rnn = new RNN(4, 5);
    expect(() => rnn.forward(randn([3, 4]), zeros([1, 2, 5]))).toThrow("RNN.forward: for unbatched 2-D input, hx should also be 2-D, got shape [1, 2, 5]");
    expect(() => rnn.forward(randn([3, 2, 4]), zeros([2, 5]))).toThrow("RNN.forward: for batched 3-D input, hx should also be 3-D, got shape [2, 5]");
    expect(() => rnn.forward(randn([3, 4]), zeros([2, 5]))).toThrow("RNN.forward: expected hx of shape [1, 5], got [2, 5]");
  });
  it("dtypes and missing state tensors", () => {
    expect(() => new RNN(2, 3).forward(tensor([[1, 2]], { dtype: "int32" }))).toThrow("RNN.forward: input must be float32 like the parameters, got int32");
    expect(() => new GRU(2, 3).forward(randn([4, 1, 2]), zeros([1, 1, 3], { dtype: "float64" }))).toThrow("GRU.forward: hx must be float32 like the input, got float64");
    expect(() => new LSTM(2, 3).forward(randn([4, 1, 2]), [zeros([1, 1, 3]), null as never])).toThrow("LSTM.forward: cx must be a Tensor, got null");
    expect(() => new GRUCell(2, 3).forward(randn([2], { dtype: "float64" }))).toThrow("GRUCell.forward: input must be float32 like the parameters, got float64");
    expect(new RNN(2, 3).forward(randn([4, 1, 2]), null)[1].shape).toEqual([1, 1, 3]);
    expect(new LSTM(2, 3).forward(randn([4, 2]), null)[1][1].shape).toEqual([1, 3]);
  });
  it("cells", () => {
    const cell = new LSTMCell(4, 5);
    expect(() => cell.forward(randn([2, 2, 4]))).toThrow("LSTMCell.forward: expected input to be 1-D or 2-D, got shape [2, 2, 4]");
    expect(() => cell.forward(randn([2, 3]))).toThrow("LSTMCell.forward: input has inconsistent inputSize: got 3, expected 4 (input shape [2, 3])");
    expect(() => cell.forward(randn([2, 4]), [zeros([3, 5]), zeros([3, 5])])).toThrow("LSTMCell.forward: input batch size 2 doesn't match hx[0] batch size 3 (shapes [2, 4] and [3, 5])");
    expect(() => cell.forward(randn([2, 4]), [zeros([2, 5]), zeros([2, 6])])).toThrow("LSTMCell.forward: hx[1] has inconsistent hiddenSize: got 6, expected 5 (shape [2, 6])");
    expect(() => new GRUCell(4, 5).forward(randn([4]), zeros([1, 5]))).toThrow("GRUCell.forward: hx must be 1-D like the unbatched input of shape [4], got shape [1, 5]");
    expect(() => new RNNCell(4, 5).forward(randn([4, 2]))).toThrow("RNNCell.forward: input has inconsistent inputSize: got 2, expected 4 (input shape [4, 2])");
  });
});

describe("utils.rnn rejects bad arguments", () => {
  const x = randn([3, 2, 4]);
  it("lengths", () => {
    expect(() => utils.rnn.packPaddedSequence(x, [2, 3])).toThrow("packPaddedSequence: lengths [2, 3] must be sorted in decreasing order when enforceSorted is true; pass { enforceSorted: false } to sort them");
    expect(() => utils.rnn.packPaddedSequence(x, [3, 0])).toThrow("packPaddedSequence: length of all samples has to be greater than 0, but found an element in lengths that is <= 0: [3, 0]");
    expect(() => utils.rnn.packPaddedSequence(x, [3, 2, 1])).toThrow("packPaddedSequence: expected len(lengths) to be equal to batch_size, but got 3 (batch_size=2, input shape [3, 2, 4])");
    expect(() => utils.rnn.packPaddedSequence(x, [4, 2])).toThrow("packPaddedSequence: a length (4) is longer than the padded sequence (3 steps, input shape [3, 2, 4])");
    expect(() => utils.rnn.packPaddedSequence(x, [2, 3], { batchFirst: true })).toThrow(/expected len\(lengths\) to be equal to batch_size, but got 2 \(batch_size=3/);
    expect(() => utils.rnn.packPaddedSequence(x, tensor([3, 2]))).toThrow("packPaddedSequence: lengths must be an int32 tensor or a number array, got a float32 tensor");
    expect(() => utils.rnn.packPaddedSequence(x, [2.5, 2])).toThrow("packPaddedSequence: lengths must be integers, got 2.5 in [2.5, 2]");
    expect(() => utils.rnn.packPaddedSequence(randn([3]), [3])).toThrow("packPaddedSequence: input must have at least 2 dims (time and batch), got shape [3]");
  });
  it("totalLength", () => {
    const p = utils.rnn.packPaddedSequence(x, [3, 2]);
    expect(() => utils.rnn.padPackedSequence(p, { totalLength: 2 })).toThrow("padPackedSequence: expected totalLength to be at least the length of the longest sequence in input, but got totalLength=2 and max sequence length being 3");
  });
  it("padSequence trailing shapes", () => {
    expect(() => utils.rnn.padSequence([randn([2, 3]), randn([2, 4])])).toThrow("padSequence: every sequence must have trailing shape [3] like entry 0 [2, 3], got [2, 4] at entry 1");
    expect(() => utils.rnn.padSequence([])).toThrow("padSequence: expected a non-empty list of sequences");
  });
  it("malformed PackedSequence into a layer", () => {
    const bad = new utils.rnn.PackedSequence(randn([4, 2]), tensor([2, 1], { dtype: "int32" }));
    expect(() => new GRU(2, 3).forward(bad)).toThrow("GRU.forward: packed batchSizes [2, 1] must be positive, non-increasing and sum to the 4 rows of data");
    const rising = new utils.rnn.PackedSequence(randn([3, 2]), tensor([1, 2], { dtype: "int32" }));
    expect(() => new GRU(2, 3).forward(rising)).toThrow(/packed batchSizes \[1, 2\] must be positive, non-increasing/);
  });
  it("PackedSequence batchSizes", () => {
    expect(() => new utils.rnn.PackedSequence(randn([3, 2]), tensor([2, 1]))).toThrow("PackedSequence: batchSizes must be a 1-D int32 tensor, got float32 of shape [2]");
  });
});
