/**
 * An object written as its bytes come, holding at most one part in memory: one PutObject when it
 * fits one part, a multipart upload (aborted on failure) when it does not.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { S3Context } from "./s3-objects.ts";

/** S3's smallest part but the last. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

export class StreamingObject {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private uploadId: string | undefined;
  private parts: Array<{ ETag: string; PartNumber: number }> = [];
  /** Bytes written so far. */
  size = 0;

  constructor(
    private readonly s3: S3Context,
    readonly bucket: string,
    readonly key: string,
    private readonly contentType: string,
    private readonly partBytes: number = MIN_PART_BYTES,
  ) {}

  async write(text: string): Promise<void> {
    const bytes = Buffer.from(text, "utf8");
    this.buffered.push(bytes);
    this.bufferedBytes += bytes.byteLength;
    this.size += bytes.byteLength;
    if (this.bufferedBytes >= this.partBytes) await this.flushPart();
  }

  async close(): Promise<void> {
    if (this.uploadId === undefined) {
      await this.s3.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: this.takeBuffer(), ContentType: this.contentType }),
      );
      return;
    }
    if (this.bufferedBytes > 0) await this.flushPart();
    await this.s3.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: this.parts },
      }),
    );
  }

  /** Leaves no incomplete upload behind (they cost storage until a lifecycle rule removes them). */
  async abort(): Promise<void> {
    if (this.uploadId === undefined) return;
    const uploadId = this.uploadId;
    this.uploadId = undefined;
    await this.s3.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId })).catch(() => {});
  }

  private async flushPart(): Promise<void> {
    if (this.uploadId === undefined) {
      const created = await this.s3.client.send(
        new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, ContentType: this.contentType }),
      );
      this.uploadId = created.UploadId;
    }
    const partNumber = this.parts.length + 1;
    const uploaded = await this.s3.client.send(
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        PartNumber: partNumber,
        Body: this.takeBuffer(),
      }),
    );
    this.parts.push({ ETag: uploaded.ETag ?? "", PartNumber: partNumber });
  }

  private takeBuffer(): Buffer {
    const body = Buffer.concat(this.buffered, this.bufferedBytes);
    this.buffered = [];
    this.bufferedBytes = 0;
    return body;
  }
}
