-- AlterEnum
ALTER TYPE "RecordingStatus" ADD VALUE 'interrupted';

-- AlterTable
ALTER TABLE "Recording" ADD COLUMN     "failureReason" TEXT,
ADD COLUMN     "title" TEXT NOT NULL DEFAULT '';
