import { EventFeedService } from '@app/core';
import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';

/** The events feed; the outbox is written by the repositories of the global PersistenceModule. */
@Module({ controllers: [EventsController], providers: [EventFeedService] })
export class EventsModule {}
