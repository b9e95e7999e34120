"""Model specs: pydantic only, so that a spec is read and checked without importing torch."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from tinylab.spec import StrictModel


class CharCNNSpec(StrictModel):
    name: Literal["char_cnn"] = "char_cnn"
    max_len: int = Field(64, ge=4, le=1024, description="bytes of each value the model sees")
    embed_dim: int = Field(32, ge=2)
    channels: int = Field(96, ge=4)
    kernel_size: int = Field(5, ge=1, description="odd")
    kernel_size2: int = Field(3, ge=1, description="odd")
    hidden: int = Field(256, ge=4)
    length_dim: int = Field(16, ge=1, description="size of the byte-length embedding")
    dropout: float = Field(0.1, ge=0, lt=1)

    @field_validator("kernel_size", "kernel_size2")
    @classmethod
    def _odd(cls, k: int) -> int:
        if k % 2 == 0:
            raise ValueError(f"kernel sizes must be odd (a 'same' convolution), got {k}")
        return k


class SentenceHeadSpec(StrictModel):
    name: Literal["sentence_head"] = "sentence_head"
    encoder: Literal["all-MiniLM-L6-v2"] = Field("all-MiniLM-L6-v2", description="frozen sentence encoder")
    use_encoder: bool = Field(True, description="feed the sentence embedding")
    hidden: int = Field(256, ge=0, description="hidden units of the embedding branch; 0 = linear")
    ngram_buckets: int = Field(0, ge=0, description="hashed word n-gram features; 0 = no n-gram branch")
    ngram_max: int = Field(2, ge=1, le=4, description="longest word n-gram hashed")
    dropout: float = Field(0.2, ge=0, lt=1)

    @model_validator(mode="after")
    def _some_input(self) -> SentenceHeadSpec:
        if not self.use_encoder and not self.ngram_buckets:
            raise ValueError("model.use_encoder = false needs model.ngram_buckets > 0 (the model needs an input)")
        return self


class ImageCNNSpec(StrictModel):
    name: Literal["image_cnn"] = "image_cnn"
    conv_layers: int = Field(3, ge=1, le=6, description="convolution blocks (conv, ReLU, 2x2 max-pool)")
    filters: int = Field(32, ge=2, description="filters of every convolution")
    kernel_size: int = Field(3, ge=1, description="odd: a 'same' convolution")
    dense_layers: int = Field(2, ge=1, le=4, description="dense layers after the pooling, the output included")
    units: int = Field(64, ge=2, description="units of each hidden dense layer")
    dropout: float = Field(0.2, ge=0, lt=1)

    @field_validator("kernel_size")
    @classmethod
    def _odd(cls, k: int) -> int:
        if k % 2 == 0:
            raise ValueError(f"kernel sizes must be odd (a 'same' convolution), got {k}")
        return k


class SentenceFinetuneSpec(StrictModel):
    name: Literal["sentence_finetune"] = "sentence_finetune"
    encoder: Literal["all-MiniLM-L6-v2"] = Field("all-MiniLM-L6-v2", description="pretrained sentence encoder")
    trainable_layers: int = Field(
        3, ge=0, le=6, description="top transformer layers fine-tuned with the head; the token embeddings and the "
        "layers below stay as pretrained")
    layer_lr_decay: float = Field(
        0.8, gt=0, le=1, description="layer-wise learning rates: the head learns at train.lr, the top layer at "
        "lr * d, the one below at lr * d^2, ...")
    max_tokens: int = Field(128, ge=8, le=512, description="word pieces of a text the encoder reads (the rest is cut)")
    dropout: float = Field(0.1, ge=0, lt=1, description="dropout before the linear head")
